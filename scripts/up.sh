#!/usr/bin/env bash
# Quick start, part one: installs what the build needs, builds the release binaries and runs
# the whole control plane on this machine (`drods up`). Extra arguments go to `drods up`,
# for example: scripts/up.sh --data-dir /var/tmp/drods
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release
exec .build/release/drods up "$@"
