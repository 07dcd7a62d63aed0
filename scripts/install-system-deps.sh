#!/usr/bin/env bash
# Installs what Leadline needs from Debian: Asterisk 16 (from bullseye, pinned), SIPp,
# libusb for node-hid, and sqlite3's build tools. Idempotent: does nothing when all is present.
set -euo pipefail

need=()
command -v asterisk >/dev/null 2>&1 || need+=(asterisk)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
[ -e /usr/lib/x86_64-linux-gnu/libusb-1.0.so.0 ] || ldconfig -p 2>/dev/null | grep -q libusb-1.0.so.0 || need+=(libusb-1.0-0)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if [ ${#need[@]} -eq 0 ]; then
  echo "[leadline] system packages present (asterisk, sipp, libusb)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "[leadline] missing system packages: ${need[*]}" >&2
  echo "[leadline] run this script as root once (sudo $0), or install them yourself." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if printf '%s\n' "${need[@]}" | grep -qx asterisk; then
  # Debian 12 has no asterisk package; Debian 11's 16.28 installs cleanly. Pin bullseye low
  # so nothing else is upgraded from it, and let only asterisk* and what bookworm lacks come in.
  if [ ! -f /etc/apt/sources.list.d/leadline-bullseye.sources ]; then
    cat > /etc/apt/sources.list.d/leadline-bullseye.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    cat > /etc/apt/preferences.d/leadline-bullseye <<'PIN'
Package: *
Pin: release n=bullseye
Pin-Priority: 100

Package: asterisk asterisk-*
Pin: release n=bullseye
Pin-Priority: 600
PIN
  fi
fi

echo "[leadline] installing: ${need[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian package starts a system Asterisk; Leadline runs its own instance, so stop that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet asterisk 2>/dev/null; then
  systemctl stop asterisk || true
  systemctl disable asterisk >/dev/null 2>&1 || true
fi
pkill -x asterisk 2>/dev/null || true
echo "[leadline] system packages installed"
