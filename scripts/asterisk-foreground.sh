#!/usr/bin/env bash
# Runs Leadline's Asterisk in the foreground, as a service manager wants it: the Docker image's
# entrypoint and ExecStart of deploy/systemd/leadline-asterisk.service. Checks the settings a real
# installation must give, renders asterisk-config/ with scripts/asterisk.sh (ARI, SIP, RTP and
# trunk settings from the environment; prompts and hold music copied in), then replaces itself
# with `asterisk -f`, so signals (docker stop, systemctl stop) reach Asterisk directly.
# (`npm start` uses scripts/asterisk.sh start instead: a background Asterisk with dev defaults.)
#
# Environment: as scripts/asterisk.sh, but ARI_PASSWORD and TRUNK_HOST are required here.
set -euo pipefail

say() { printf '[leadline:asterisk] %s\n' "$*" >&2; }
missing=()
[ -n "${ARI_PASSWORD:-}" ] || missing+=("ARI_PASSWORD (the password the server uses for ARI)")
[ -n "${TRUNK_HOST:-}" ] || missing+=("TRUNK_HOST (your carrier's SIP address)")
if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do say "$m is required (/etc/leadline/leadline.env or docker/.env; docs/deployment.md)"; done
  exit 1
fi
: "${LEADLINE_ASTERISK_DIR:=${LEADLINE_DATA_DIR:-./data}/asterisk}"
export LEADLINE_ASTERISK_DIR

"$(dirname "${BASH_SOURCE[0]}")/asterisk.sh" render

# Asterisk must not inherit the ARI password (ENV() could read it), nor the server's secrets.
exec env -u ARI_PASSWORD -u JWT_SECRET -u LEADLINE_ADMIN_PASSWORD -u DATABASE_URL -u REDIS_URL \
  asterisk -f -n -C "$(realpath -m -- "$LEADLINE_ASTERISK_DIR")/etc/asterisk.conf" "$@"
