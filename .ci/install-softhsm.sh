#!/usr/bin/env bash
# Installs SoftHSM2 from Debian's packages for the PKCS#11 cipher-card tests; does nothing when it
# is already there. Runs as root (CI) or with passwordless sudo.
set -euo pipefail
if command -v softhsm2-util >/dev/null 2>&1 && [ -e /usr/lib/softhsm/libsofthsm2.so ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-softhsm: no apt-get here; install SoftHSM2 (libsofthsm2.so, softhsm2-util) yourself" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq softhsm2 >/dev/null
echo "install-softhsm: SoftHSM2 $(softhsm2-util --version) installed"
