#!/usr/bin/env bash
# Builds Leadline's Asterisk 22 in an isolated Debian root (docs/asterisk.md): Debian 12 has no
# Asterisk 22 and sid's package needs sid's libc, so a minimal sid root is made with debootstrap
# from the mirror the host's apt already uses, and Asterisk is installed into it with apt.
# scripts/asterisk.sh (npm start, tests, bench) and the systemd unit (RootDirectory=) run Asterisk
# inside that root, as its own unprivileged user.
#
#   scripts/install-asterisk-root.sh            create the root when missing (idempotent, cached)
#   scripts/install-asterisk-root.sh --refresh  apt-get update + upgrade inside the root (a newer 22.x)
#   scripts/install-asterisk-root.sh --check    exit 0 when the root is complete, 1 otherwise
#
# Environment:
#   LEADLINE_ASTERISK_ROOT  [/opt/leadline/asterisk-root]  where the root lives
#   LEADLINE_DEBIAN_MIRROR  [the host's first Debian URI, else http://deb.debian.org/debian]
# Needs root (debootstrap, chroot). Nothing outside LEADLINE_ASTERISK_ROOT is changed, except that
# debootstrap is installed from the host's archive when missing.
set -euo pipefail

ROOT="${LEADLINE_ASTERISK_ROOT:-/opt/leadline/asterisk-root}"
# The oldest Asterisk whose ARI has no known hole (22.10.1 closes the live_dangerously bypass and
# the REST-over-websocket code execution); the server checks the same minimum at link-up.
MIN_VERSION=22.10.1
STAMP="$ROOT/etc/leadline-asterisk-root"
PREFIX="[leadline:asterisk-root]"
say() { printf '%s %s\n' "$PREFIX" "$*"; }
die() { printf '%s %s\n' "$PREFIX" "$*" >&2; exit 1; }

mode=install
case "${1:-}" in
  '') ;;
  --refresh) mode=refresh ;;
  --check) mode=check ;;
  -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

# The version string of the root's Asterisk, e.g. 22.10.1 (empty when it does not run).
root_version() {
  chroot "$ROOT" /usr/sbin/asterisk -V 2>/dev/null | sed -nE 's/^Asterisk ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p'
}

version_at_least() { # <have> <want>
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# The stamp is written last, once Asterisk ran inside the root (no chroot needed to check it).
complete() {
  [ -f "$STAMP" ] && [ -x "$ROOT/usr/sbin/asterisk" ]
}

if [ "$mode" = check ]; then
  complete
  exit $?
fi
[ "$(id -u)" -eq 0 ] || die "building the Asterisk root needs root: run 'sudo $0' once"

if [ "$mode" = install ] && complete; then
  say "Asterisk $(sed -n 's/^asterisk=//p' "$STAMP") ready in $ROOT"
  exit 0
fi

# shellcheck source=scripts/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh"

# apt inside the root gets the host's apt settings (proxies; the archive snapshot's expired
# Release file needs Acquire::Check-Valid-Until "false" here), its resolver, and no service starts.
prepare_apt() {
  mkdir -p "$ROOT/etc/apt/apt.conf.d"
  cp -f /etc/apt/apt.conf.d/* "$ROOT/etc/apt/apt.conf.d/" 2>/dev/null || true
  [ -f /etc/apt/apt.conf ] && cp -f /etc/apt/apt.conf "$ROOT/etc/apt/apt.conf"
  cp -fL /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
}

in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# apt's chatter (and its complaint about the root's missing /dev/pts) goes to a log shown on failure.
apt_in_root() {
  local log="$ROOT.apt.log"
  in_root apt-get "$@" > "$log" 2>&1 || {
    tail -n 30 "$log" >&2
    die "apt-get $* failed inside $ROOT (log: $log)"
  }
  rm -f "$log"
}

install_asterisk() {
  apt_in_root update -qq
  apt_in_root install -y -qq --no-install-recommends asterisk asterisk-modules asterisk-core-sounds-en
  apt_in_root clean
}

check_version() {
  local v
  v="$(root_version)"
  [ -n "$v" ] || die "asterisk does not run inside $ROOT"
  version_at_least "$v" "$MIN_VERSION" || die "the archive gave Asterisk $v; Leadline needs $MIN_VERSION or newer (LEADLINE_DEBIAN_MIRROR)"
  printf 'asterisk=%s\nbuilt=%s\nmirror=%s\n' "$v" "$(date -u +%FT%TZ)" "$(debian_mirror)" > "$STAMP"
  say "Asterisk $v ready in $ROOT"
}

if [ "$mode" = refresh ]; then
  complete || die "no Asterisk root in $ROOT yet: run $0 without --refresh"
  before="$(root_version)"
  prepare_apt
  apt_in_root update -qq
  apt_in_root install -y -qq --no-install-recommends --only-upgrade asterisk asterisk-modules asterisk-core-sounds-en
  apt_in_root clean
  check_version
  say "refreshed: $before -> $(root_version) (restart Asterisk to use it)"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# Built beside the target and moved into place at the end: an interrupted build never looks done.
started=$SECONDS
final="$ROOT"
ROOT="$final.partial"
rm -rf "$ROOT"
mkdir -p "$(dirname "$final")"
say "creating a Debian sid root for Asterisk 22 in $final (from $(debian_mirror); a few minutes, ~650 MB)"
debootstrap --variant=minbase sid "$ROOT" "$(debian_mirror)" > "$final.debootstrap.log" 2>&1 || {
  tail -n 20 "$final.debootstrap.log" >&2
  die "debootstrap failed (full log: $final.debootstrap.log)"
}
rm -f "$final.debootstrap.log"
prepare_apt
install_asterisk
rm -rf "$final"
mv "$ROOT" "$final"
ROOT="$final"
check_version
say "built in $((SECONDS - started)) s"
