#!/usr/bin/env bash
# Restores a scripts/backup.sh archive: the SQLite database, the JWT secret and the recordings.
#
# Usage: scripts/restore.sh <archive.tar.gz> [--data-dir DIR] [--recordings-dir DIR]
#   --data-dir        default $LEADLINE_DATA_DIR, else ./data (created when missing)
#   --recordings-dir  default $LEADLINE_RECORDINGS_DIR, else <data>/recordings
#
# Refuses while a process (the server) has the database open: stop it first
# (systemctl stop leadline / docker-compose stop server). Unpacks next to the data dir, runs
# PRAGMA integrity_check on the archived database, and only then swaps it in. What it replaces
# (database, WAL, JWT secret) is kept in <data>/pre-restore-<time>/. Recordings are added back
# (same names overwritten, others left alone). Start the server afterwards: migrations newer than
# the backup apply at start. docs/deployment.md.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[leadline:restore] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

ARCHIVE=""
DATA="${LEADLINE_DATA_DIR:-./data}"
RECORDINGS="${LEADLINE_RECORDINGS_DIR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA="${2:?--data-dir needs a folder}"; shift 2 ;;
    --recordings-dir) RECORDINGS="${2:?--recordings-dir needs a folder}"; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) die "unknown argument: $1 (see --help)" ;;
    *) [ -z "$ARCHIVE" ] || die "one archive only"; ARCHIVE="$1"; shift ;;
  esac
done
[ -n "$ARCHIVE" ] || die "usage: $0 <archive.tar.gz> [--data-dir DIR] [--recordings-dir DIR]"
[ -f "$ARCHIVE" ] || die "no archive at $ARCHIVE"
ARCHIVE="$(realpath -- "$ARCHIVE")"
DATA="$(realpath -m -- "$DATA")"
RECORDINGS="$(realpath -m -- "${RECORDINGS:-$DATA/recordings}")"

case "${DATABASE_URL:-}" in
  "") DB="$DATA/leadline.db" ;;
  sqlite:*) DB="${DATABASE_URL#sqlite:}"; DB="${DB#//}"; DB="$(realpath -m -- "$DB")" ;;
  *) die "DATABASE_URL is not SQLite: restore PostgreSQL with pg_restore (docs/deployment.md)" ;;
esac

# Is any process holding the database (or its WAL) open? /proc needs no extra tool; as root it
# sees every process, as the service user its own (the server runs as that user).
holders() {
  local fd target
  for fd in /proc/[0-9]*/fd/*; do
    target="$(readlink "$fd" 2>/dev/null)" || continue
    case "$target" in
      "$DB" | "$DB-wal" | "$DB-shm")
        fd="${fd#/proc/}"
        echo "${fd%%/*}" ;;
    esac
  done | sort -u
}
pids="$(holders)"
if [ -n "$pids" ]; then
  for pid in $pids; do say "pid $pid has $DB open: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"; done
  die "the server is running on $DB: stop it first (systemctl stop leadline / docker-compose stop server)"
fi

mkdir -p "$DATA"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
STAGE="$(mktemp -d "$DATA/.restore-$STAMP.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

tar -xzf "$ARCHIVE" -C "$STAGE" --no-same-owner
if [ ! -f "$STAGE/MANIFEST" ] || [ "$(head -n 1 "$STAGE/MANIFEST")" != 'leadline-backup 1' ]; then
  die "$ARCHIVE is not a Leadline backup (no MANIFEST)"
fi
[ -f "$STAGE/leadline.db" ] || die "$ARCHIVE holds no leadline.db"

if ! report="$(node "$SCRIPTS/sqlite-tool.cjs" check "$STAGE/leadline.db")"; then
  die "the archived database fails its integrity check, nothing was changed: $report"
fi
say "archived database is sound: $report"

# Re-check right before the swap: a server started meanwhile would lose its writes.
[ -z "$(holders)" ] || die "a process opened $DB meanwhile: stop the server first"

KEEP="$DATA/pre-restore-$STAMP"
for f in "$DB" "$DB-wal" "$DB-shm" "$DATA/jwt-secret"; do
  if [ -e "$f" ]; then
    mkdir -p "$KEEP"
    mv "$f" "$KEEP/"
  fi
done
[ -d "$KEEP" ] && say "kept what was replaced in $KEEP"

mkdir -p "$(dirname "$DB")"
mv "$STAGE/leadline.db" "$DB"
if [ -f "$STAGE/jwt-secret" ]; then
  mv "$STAGE/jwt-secret" "$DATA/jwt-secret"
  chmod 600 "$DATA/jwt-secret"
fi
count=0
if [ -d "$STAGE/recordings" ]; then
  mkdir -p "$RECORDINGS"
  count="$(find "$STAGE/recordings" -type f | wc -l)"
  # The folder's contents, not the folder itself: it may belong to Asterisk's user (a shared group
  # lets the server's user write into it), whose folder times this user may not set.
  find "$STAGE/recordings" -mindepth 1 -maxdepth 1 -exec cp -R --preserve=mode,timestamps -t "$RECORDINGS/" {} +
fi
# Run as root (bare metal): hand the files to the data dir's owner, the service user.
if [ "$(id -u)" -eq 0 ]; then
  owner="$(stat -c %u:%g "$DATA")"
  chown "$owner" "$DB"
  [ ! -f "$DATA/jwt-secret" ] || chown "$owner" "$DATA/jwt-secret"
  [ ! -d "$STAGE/recordings" ] || chown -R "$(stat -c %u:%g "$RECORDINGS")" "$RECORDINGS"
fi
say "restored $DB and $count recordings into $RECORDINGS from $(sed -n 2p "$STAGE/MANIFEST")"
