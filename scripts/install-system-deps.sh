#!/usr/bin/env bash
# Installs what Leadline needs from Debian: Asterisk 22 in its own isolated root (built from sid by
# scripts/install-asterisk-root.sh), SIPp, libusb for node-hid, better-sqlite3's build tools,
# Chromium (dashboard tests), PostgreSQL and Redis, Docker (docker.io, docker-compose) and
# debootstrap for the docker test stage, shellcheck. Idempotent: does nothing when all is present.
set -euo pipefail

need=()
asterisk_root=1
bash "$(dirname "$0")/install-asterisk-root.sh" --check || asterisk_root=0
# Asterisk runs in a mount namespace of its own (unshare, nsenter: util-linux, always present).
# debootstrap also makes the docker stage's test-only base images (tests/docker/base-images.sh).
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v sipp >/dev/null 2>&1 || need+=(sip-tester)
[ -e /usr/lib/x86_64-linux-gnu/libusb-1.0.so.0 ] || ldconfig -p 2>/dev/null | grep -q libusb-1.0.so.0 || need+=(libusb-1.0-0)
command -v make >/dev/null 2>&1 || need+=(make)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# The dashboard's end-to-end tests drive Debian's Chromium; the scale-out tests run a real
# PostgreSQL and Redis, started by the test harness on loopback (never the system services).
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# The deployment tests validate docker/compose*.yaml with Debian's docker-compose (1.29), and the
# docker stage builds and runs the images with Debian's Docker engine (docker.io: dockerd and the
# client at /usr/bin/docker; tests/docker/dockerd.sh starts dockerd when none answers).
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
{ [ -x /usr/bin/docker ] && command -v dockerd >/dev/null 2>&1; } || need+=(docker.io)
# ...and lint the shell scripts with shellcheck.
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)

if [ ${#need[@]} -eq 0 ] && [ "$asterisk_root" = 1 ]; then
  echo "[leadline] system packages present (Asterisk 22 root, sipp, libusb, chromium, postgresql, redis, docker, debootstrap, shellcheck)"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  [ ${#need[@]} -eq 0 ] || echo "[leadline] missing system packages: ${need[*]}" >&2
  [ "$asterisk_root" = 1 ] || echo "[leadline] missing: the Asterisk 22 root (scripts/install-asterisk-root.sh)" >&2
  echo "[leadline] run this script as root once (sudo $0), or install them yourself." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#need[@]} -gt 0 ]; then
  echo "[leadline] installing: ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ "$asterisk_root" = 1 ] || bash "$(dirname "$0")/install-asterisk-root.sh"
# Likewise the packaged PostgreSQL cluster and Redis: tests and Leadline start their own. (A
# packaged dockerd is left as it is: the docker stage uses it, or starts one when none answers.)
for svc in postgresql redis-server; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-enabled --quiet "$svc" 2>/dev/null; then
    systemctl disable --now "$svc" >/dev/null 2>&1 || true
  fi
done
echo "[leadline] system packages installed"
