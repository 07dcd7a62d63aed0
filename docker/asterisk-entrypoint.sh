#!/usr/bin/env bash
# Entrypoint of the Asterisk image: renders asterisk-config/ with scripts/asterisk.sh (the same
# rendering as on bare metal: ARI, SIP, RTP and trunk settings from the environment, prompts and
# hold music copied in), then replaces itself with Asterisk in the foreground (-f), so signals reach it directly.
# ARI_PASSWORD is required: no password is generated or baked into the image.
set -euo pipefail

if [ -z "${ARI_PASSWORD:-}" ]; then
  echo "[leadline:asterisk] ARI_PASSWORD is required (set it in docker/.env; see docs/deployment.md)" >&2
  exit 1
fi
: "${LEADLINE_ASTERISK_DIR:=/var/lib/leadline/asterisk}"
export LEADLINE_ASTERISK_DIR

"$(dirname "$0")/../scripts/asterisk.sh" render

# Asterisk must not inherit the ARI password (ENV() could read it), nor the server's secrets.
exec env -u ARI_PASSWORD -u JWT_SECRET -u LEADLINE_ADMIN_PASSWORD -u DATABASE_URL -u REDIS_URL \
  asterisk -f -n -C "$LEADLINE_ASTERISK_DIR/etc/asterisk.conf" "$@"
