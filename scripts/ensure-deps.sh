#!/usr/bin/env bash
# Installs the Debian packages driftd builds against, when they are missing.
# Used by `make demo`, `make test` and `make bench`; safe to run repeatedly.
set -euo pipefail
need=()
# kcat: the producer of the input-format tests on the embedded broker (Tests/DriftDaemonTests).
for pkg in librdkafka-dev libsimdjson-dev pkg-config kcat; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "driftd: installing ${need[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "driftd: Swift 6.x is required (https://swift.org/install)" >&2; exit 1; }
