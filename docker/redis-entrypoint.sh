#!/usr/bin/env bash
# Entrypoint of docker/redis.Dockerfile: Redis in the foreground on REDIS_LISTEN [127.0.0.1]:
# REDIS_PORT [6379], password REDIS_PASSWORD (required), append-only file in /data. The password
# goes through a config file readable by the redis user only, never the command line (ps shows it).
set -euo pipefail
[ -n "${REDIS_PASSWORD:-}" ] || { echo '[leadline:redis] REDIS_PASSWORD is required' >&2; exit 1; }
port="${REDIS_PORT:-6379}"
[[ "$port" =~ ^[0-9]+$ ]] || { echo '[leadline:redis] REDIS_PORT must be a port number' >&2; exit 1; }
conf="$(mktemp)"
chmod 600 "$conf"
printf 'bind %s\nport %s\nrequirepass %s\nappendonly yes\ndir /data\nprotected-mode yes\n' \
  "${REDIS_LISTEN:-127.0.0.1}" "$port" "$REDIS_PASSWORD" > "$conf"
exec redis-server "$conf"
