#!/usr/bin/env bash
# Installs SoftHSM2 from Debian's packages for the PKCS#11 cipher-card tests (issue 3).
# Idempotent and quiet: does nothing when softhsm2-util is already there. Needs root or sudo.
set -euo pipefail

have_softhsm() {
  command -v softhsm2-util >/dev/null 2>&1 \
    && { [ -e /usr/lib/softhsm/libsofthsm2.so ] || ls /usr/lib/*/softhsm/libsofthsm2.so >/dev/null 2>&1; }
}

if have_softhsm; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-softhsm: softhsm2 is missing and this user can neither apt-get as root nor sudo without a password;" >&2
  echo "install-softhsm: install Debian's softhsm2 package by hand (apt-get install softhsm2)." >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-softhsm: no apt-get here; install SoftHSM2 with this system's package manager." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# apt's chatter goes to a log that is shown only when a step fails.
quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "install-softhsm: failed: $*" >&2
    exit 1
  fi
}
# An image whose package lists were never fetched knows no softhsm2 yet: update once, then install.
if ! apt-cache show softhsm2 >/dev/null 2>&1; then
  quietly "${as_root[@]}" apt-get update -qq
fi
quietly "${as_root[@]}" apt-get install -y -qq --no-install-recommends softhsm2

if ! have_softhsm; then
  echo "install-softhsm: apt-get reported success but softhsm2-util or libsofthsm2.so is missing" >&2
  exit 1
fi
