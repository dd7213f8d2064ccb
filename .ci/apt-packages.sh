# Sourced by the .ci/install-*.sh scripts: installs Debian packages quietly, as root or through
# passwordless sudo, fetching the package lists once if this image never did.
# Usage: apt_install WHO PACKAGE... ; WHO names the caller in messages.

apt_install() {
  local who="$1"
  shift
  local as_root
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    echo "$who: $* missing and this user can neither apt-get as root nor sudo without a password;" >&2
    echo "$who: install Debian's $* by hand (apt-get install $*)." >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here; install $* with this system's package manager." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local log
  log="$(mktemp)"
  # apt's chatter goes to a log that is shown only when a step fails.
  quietly() {
    if ! "$@" >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      echo "$who: failed: $*" >&2
      exit 1
    fi
  }
  # An image whose package lists were never fetched knows none of these yet: update once, then install.
  local p
  for p in "$@"; do
    if ! apt-cache show "$p" >/dev/null 2>&1; then
      quietly "${as_root[@]}" apt-get update -qq
      break
    fi
  done
  quietly "${as_root[@]}" apt-get install -y -qq --no-install-recommends "$@"
  rm -f "$log"
}
