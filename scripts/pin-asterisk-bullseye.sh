#!/usr/bin/env bash
# Adds Debian 11 (bullseye) as an APT source pinned low, so that only asterisk* (16.28) and what
# bookworm lacks for it come from there and nothing else is upgraded from it. Debian 12 has no
# asterisk package. Used by scripts/install-system-deps.sh and docker/asterisk.Dockerfile, so the
# machine and the image get the same Asterisk. Idempotent; needs root. Run apt-get update after it.
set -euo pipefail

sources=/etc/apt/sources.list.d/leadline-bullseye.sources
prefs=/etc/apt/preferences.d/leadline-bullseye
[ -f "$sources" ] && [ -f "$prefs" ] && exit 0

cat > "$sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bullseye
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
cat > "$prefs" <<'PIN'
Package: *
Pin: release n=bullseye
Pin-Priority: 100

Package: asterisk asterisk-*
Pin: release n=bullseye
Pin-Priority: 600
PIN
