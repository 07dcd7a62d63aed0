#!/usr/bin/env bash
# Online backup of Leadline: the SQLite database (consistent snapshot through SQLite's backup API,
# taken while the server keeps writing), the generated JWT secret, and the call recordings, into
# one timestamped archive: <out>/leadline-backup-<UTC time>.tar.gz (mode 600: it holds personal
# data and a secret). Restore with scripts/restore.sh. docs/deployment.md.
#
# Usage: scripts/backup.sh [--data-dir DIR] [--recordings-dir DIR] [--out DIR]
#   --data-dir        default $LEADLINE_DATA_DIR, else ./data
#   --recordings-dir  default $LEADLINE_RECORDINGS_DIR, else <data>/recordings (bare metal, Docker),
#                     else <data>/asterisk/spool/recording (npm start); none found = no recordings
#   --out             default $LEADLINE_BACKUP_DIR, else /var/backups/leadline when it exists, else ./backups
# The database is DATABASE_URL's file when that is a sqlite: URL, else <data>/leadline.db. With
# PostgreSQL (postgres://) use pg_dump instead (docs/deployment.md); this script then refuses.
# Prints the archive's path on the last line of stdout.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[leadline:backup] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

DATA="${LEADLINE_DATA_DIR:-./data}"
RECORDINGS="${LEADLINE_RECORDINGS_DIR:-}"
OUT="${LEADLINE_BACKUP_DIR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) DATA="${2:?--data-dir needs a folder}"; shift 2 ;;
    --recordings-dir) RECORDINGS="${2:?--recordings-dir needs a folder}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
DATA="$(realpath -m -- "$DATA")"
if [ -z "$OUT" ]; then
  if [ -d /var/backups/leadline ]; then OUT=/var/backups/leadline; else OUT=./backups; fi
fi
OUT="$(realpath -m -- "$OUT")"

case "${DATABASE_URL:-}" in
  "") DB="$DATA/leadline.db" ;;
  sqlite:*) DB="${DATABASE_URL#sqlite:}"; DB="${DB#//}"; DB="$(realpath -m -- "$DB")" ;;
  postgres:* | postgresql:*) die "DATABASE_URL is PostgreSQL: back it up with pg_dump (docs/deployment.md); recordings: --recordings-dir with tar" ;;
  *) die "DATABASE_URL: unsupported scheme" ;;
esac
[ -f "$DB" ] || die "no database at $DB (set --data-dir or LEADLINE_DATA_DIR)"

if [ -z "$RECORDINGS" ]; then
  for candidate in "$DATA/recordings" "$DATA/asterisk/spool/recording"; do
    if [ -d "$candidate" ]; then RECORDINGS="$candidate"; break; fi
  done
fi
if [ -n "$RECORDINGS" ]; then
  [ -d "$RECORDINGS" ] || die "recordings folder $RECORDINGS does not exist"
  RECORDINGS="$(realpath -- "$RECORDINGS")"
fi

mkdir -p "$OUT"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
ARCHIVE="$OUT/leadline-backup-$STAMP.tar.gz"
[ -e "$ARCHIVE" ] && die "$ARCHIVE exists already (one backup per second at most)"
STAGE="$(mktemp -d "$OUT/.backup-$STAMP.XXXXXX")"
trap 'rm -rf "$STAGE" "$ARCHIVE.partial"' EXIT
umask 077

say "database $DB → snapshot"
report="$(node "$SCRIPTS/sqlite-tool.cjs" backup "$DB" "$STAGE/leadline.db")" || die "the database copy failed its integrity check: $report"
members=(leadline.db MANIFEST)
if [ -f "$DATA/jwt-secret" ]; then
  cp -p "$DATA/jwt-secret" "$STAGE/jwt-secret"
  members+=(jwt-secret)
fi
recording_count=0
if [ -n "$RECORDINGS" ]; then
  recording_count="$(find "$RECORDINGS" -type f | wc -l)"
fi
{
  echo "leadline-backup 1"
  echo "created $STAMP"
  echo "host $(hostname)"
  echo "database $DB"
  echo "database-report $report"
  echo "recordings ${RECORDINGS:-none} ($recording_count files)"
} > "$STAGE/MANIFEST"

# The recordings go in after the database snapshot: a call recorded meanwhile may be in the
# archive without its database row, never the other way round. A file Asterisk is still writing
# is taken as far as it got (tar exit 1: "file changed as we read it").
tar_args=(-czf "$ARCHIVE.partial" -C "$STAGE" "${members[@]}")
if [ -n "$RECORDINGS" ]; then
  tar_args+=(-C "$RECORDINGS" --transform 's,^\.,recordings,' --warning=no-file-changed .)
fi
rc=0
tar "${tar_args[@]}" || rc=$?
if [ "$rc" -gt 1 ]; then die "tar failed ($rc)"; fi
mv "$ARCHIVE.partial" "$ARCHIVE"
say "wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1); $recording_count recordings)"
echo "$ARCHIVE"
