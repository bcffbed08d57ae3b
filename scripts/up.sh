#!/usr/bin/env bash
# Quick start, part one: installs what the build needs, builds the release binaries and runs
# `drods demo`, which starts the whole control plane with a simulated fleet, replays the start
# of a production GPU trace against it, prints a report and exits. Extra arguments go to
# `drods demo`, for example: scripts/up.sh --pods 500 --data-dir /var/tmp/drods-demo
# `drods up` keeps the control plane running instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release
exec .build/release/drods demo "$@"
