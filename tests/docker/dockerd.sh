#!/usr/bin/env bash
# Makes sure a Docker engine answers (for the docker test stage): when `docker info` fails, starts
# Debian's dockerd in the background (logs in /var/log/leadline-test/dockerd.log) and waits for it.
# A dockerd started here is left running for the next run, which finds it and starts nothing (a
# dead one's stale pid file does not stop a new start). Needs root and the docker.io package
# (scripts/install-system-deps.sh).
set -euo pipefail
DOCKER="${DOCKER:-/usr/bin/docker}"
say() { printf '[leadline:dockerd] %s\n' "$*"; }
if [ ! -x "$DOCKER" ] || ! command -v dockerd >/dev/null 2>&1; then
  say "docker.io is missing: run scripts/install-system-deps.sh as root" >&2
  exit 1
fi
"$DOCKER" info >/dev/null 2>&1 && exit 0
[ "$(id -u)" -eq 0 ] || { say "no Docker engine answers, and starting one needs root" >&2; exit 1; }
exec 9>/var/lock/leadline-test-dockerd.lock
flock 9
"$DOCKER" info >/dev/null 2>&1 && exit 0
mkdir -p /var/log/leadline-test
pid=/var/run/docker.pid
if [ -s "$pid" ] && ! kill -0 "$(cat "$pid")" 2>/dev/null; then rm -f "$pid"; fi
say "starting dockerd (log: /var/log/leadline-test/dockerd.log)"
setsid dockerd >>/var/log/leadline-test/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 120); do
  "$DOCKER" info >/dev/null 2>&1 && { say "dockerd ready"; exit 0; }
  sleep 0.5
done
tail -n 20 /var/log/leadline-test/dockerd.log >&2
say "dockerd did not answer within 60 s" >&2
exit 1
