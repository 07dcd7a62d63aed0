#!/usr/bin/env bash
# One-time step of the upgrade from a Leadline release with the Asterisk 16 image (one user, uid
# 10001, for Asterisk and the server) to the Asterisk 22 image (Asterisk as leadline-asterisk,
# 10002): hands Asterisk's volumes (astdb, logs, recordings) to its user and makes the recordings
# folder writable by the group the server's user is in (restores). Run as root in the new image:
#   docker-compose run --rm --no-deps --user 0 --entrypoint /opt/leadline/scripts/asterisk-volumes.sh asterisk
# (docs/deployment.md, "Upgrade from an Asterisk 16 release"). Idempotent.
set -euo pipefail
dir="${LEADLINE_ASTERISK_DIR:-/var/lib/leadline/asterisk}"
[ "$(id -u)" -eq 0 ] || { echo "[leadline:asterisk] run as root (--user 0)" >&2; exit 1; }
chown -R leadline-asterisk:leadline-asterisk "$dir"
mkdir -p "$dir/spool/recording"
chmod 750 "$dir"
chmod 2770 "$dir/spool/recording"
echo "[leadline:asterisk] $dir handed to leadline-asterisk ($(find "$dir" | wc -l) entries)"
