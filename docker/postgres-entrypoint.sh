#!/usr/bin/env bash
# Entrypoint of docker/postgres.Dockerfile. On the first start (empty data volume) it creates the
# cluster with the user POSTGRES_USER [leadline] and its password POSTGRES_PASSWORD (required;
# handed to initdb through a file that is removed at once, never on a command line), and the
# database POSTGRES_DB [leadline]. Then it runs PostgreSQL in the foreground on
# POSTGRES_LISTEN [127.0.0.1]:POSTGRES_PORT [5432]; TCP logins need the password (scram-sha-256),
# the socket inside the container is for the container's own tools (pg_dump, psql).
set -euo pipefail
say() { printf '[leadline:postgres] %s\n' "$*" >&2; }

: "${PGDATA:=/var/lib/postgresql/data}"
user="${POSTGRES_USER:-leadline}"
db="${POSTGRES_DB:-leadline}"
listen="${POSTGRES_LISTEN:-127.0.0.1}"
port="${POSTGRES_PORT:-5432}"
[[ "$user" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "POSTGRES_USER must be a plain lower-case name"; exit 1; }
[[ "$db" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "POSTGRES_DB must be a plain lower-case name"; exit 1; }
[[ "$port" =~ ^[0-9]+$ ]] || { say "POSTGRES_PORT must be a port number"; exit 1; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { say "POSTGRES_PASSWORD is required to create the database"; exit 1; }
  pwfile="$(mktemp)"
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb --pgdata="$PGDATA" --username="$user" --pwfile="$pwfile" --auth-host=scram-sha-256 \
    --auth-local=peer --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # peer login over the socket maps the container's user (postgres) to the database superuser.
  printf 'local all all peer map=leadline\n' > "$PGDATA/pg_hba.conf.local"
  printf 'leadline postgres %s\n' "$user" >> "$PGDATA/pg_ident.conf"
  { cat "$PGDATA/pg_hba.conf.local"; grep -v '^local' "$PGDATA/pg_hba.conf"; } > "$PGDATA/pg_hba.conf.new"
  mv "$PGDATA/pg_hba.conf.new" "$PGDATA/pg_hba.conf"
  rm -f "$PGDATA/pg_hba.conf.local"
  echo "CREATE DATABASE \"$db\" OWNER \"$user\"" | postgres --single -D "$PGDATA" -j template1 >/dev/null
  say "created the cluster, user $user and database $db"
fi
exec postgres -D "$PGDATA" -c listen_addresses="$listen" -c port="$port" -c unix_socket_directories=/run/postgresql
