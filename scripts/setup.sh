#!/usr/bin/env bash
# Installs the Debian packages DRO-DS builds and runs with. Safe to run again: it installs
# only what is missing. The Swift 6 toolchain itself is expected on PATH (swift.org builds).
set -euo pipefail

packages=(
  pkg-config
  librdkafka-dev    # Kafka client and its mock cluster (development broker)
  libpq-dev         # PostgreSQL client
  libmicrohttpd-dev # HTTP server
  libssl-dev        # JWT signatures and credential encryption
  libyaml-dev       # YAML parsing of policies and manifests
  postgresql        # server binaries for the private database of `drods up` and the tests
  util-linux        # setpriv, to run PostgreSQL as the postgres user when started as root
  openssl           # self-signed certificate of the member-cluster simulator's HTTPS listener
)
# kubectl for the member-cluster simulator tests; any kubectl already on PATH will do.
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "swift not found on PATH: install the Swift 6 toolchain (https://www.swift.org/install/linux/)" >&2
  exit 1
fi
