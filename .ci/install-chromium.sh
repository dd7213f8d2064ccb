#!/usr/bin/env bash
# Installs Chromium and its WebDriver from Debian's packages for the console's browser tests
# (docs/console.md). Idempotent and quiet: does nothing when both binaries are already there. The
# tests point Selenium at /usr/bin/chromedriver: Selenium Manager's downloads cannot work offline.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/apt-packages.sh"

have_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

if have_chromium; then
  exit 0
fi
apt_install install-chromium chromium chromium-driver
if ! have_chromium; then
  echo "install-chromium: apt-get reported success but /usr/bin/chromium or /usr/bin/chromedriver is missing" >&2
  exit 1
fi
