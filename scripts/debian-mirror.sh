# shellcheck shell=bash
# debian_mirror: prints the Debian archive URL to build roots and images from: LEADLINE_DEBIAN_MIRROR
# when set, else the first Debian URI the host's apt uses (deb822 sources first, Debian 12's
# default, then the one-line format), else deb.debian.org. Sourced by scripts/install-asterisk-root.sh
# and tests/docker/base-images.sh.
debian_mirror() {
  if [ -n "${LEADLINE_DEBIAN_MIRROR:-}" ]; then
    printf '%s' "$LEADLINE_DEBIAN_MIRROR"
    return
  fi
  local uri
  uri="$(awk '/^URIs:/ && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
  [ -n "$uri" ] || uri="$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)"
  printf '%s' "${uri:-http://deb.debian.org/debian}"
}
