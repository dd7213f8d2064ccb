#!/usr/bin/env bash
# Installs SoftHSM2 from Debian's packages for the PKCS#11 cipher-card tests (docs/cipher-cards.md).
# Idempotent and quiet: does nothing when softhsm2-util is already there. Needs root or sudo.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/apt-packages.sh"

have_softhsm() {
  command -v softhsm2-util >/dev/null 2>&1 \
    && { [ -e /usr/lib/softhsm/libsofthsm2.so ] || ls /usr/lib/*/softhsm/libsofthsm2.so >/dev/null 2>&1; }
}

if have_softhsm; then
  exit 0
fi
apt_install install-softhsm softhsm2
if ! have_softhsm; then
  echo "install-softhsm: apt-get reported success but softhsm2-util or libsofthsm2.so is missing" >&2
  exit 1
fi
