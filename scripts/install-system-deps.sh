#!/usr/bin/env bash
# Debian packages the test suite uses: a real PostgreSQL server (the --db URL test) and Chromium
# with its driver (the report's browser test). Idempotent: installs only what is missing.
set -euo pipefail
need=()
command -v /usr/lib/postgresql/15/bin/initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: these Debian packages are needed and apt-get is missing: ${need[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "system packages: installing ${need[*]}"
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
