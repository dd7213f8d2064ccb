#!/usr/bin/env bash
# Installs Chromium and its WebDriver from Debian's packages for the console's browser tests
# (issue 17). Idempotent and quiet: does nothing when both binaries are already there. The tests
# point Selenium at /usr/bin/chromedriver: Selenium Manager's downloads cannot work offline.
set -euo pipefail

have_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]
}

if have_chromium; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-chromium: chromium is missing and this user can neither apt-get as root nor sudo without a password;" >&2
  echo "install-chromium: install Debian's chromium and chromium-driver packages by hand." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no apt-get here; install Chromium and chromedriver with this system's package manager." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-chromium: failed: $*" >&2
    exit 1
  fi
}
# An image whose package lists were never fetched knows no chromium-driver yet: update once, then install.
if ! apt-cache show chromium-driver >/dev/null 2>&1; then
  quietly "${as_root[@]}" apt-get update -qq
fi
quietly "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver

if ! have_chromium; then
  echo "install-chromium: apt-get reported success but /usr/bin/chromium or /usr/bin/chromedriver is missing" >&2
  exit 1
fi
