#!/usr/bin/env bash
# Quick start: installs what is missing, starts the bundled Asterisk on loopback, then runs the
# Leadline server in the foreground on the embedded defaults (SQLite in ./data). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh

export LEADLINE_DATA_DIR=${LEADLINE_DATA_DIR:-$PWD/data}
export ARI_BIND=${ARI_BIND:-127.0.0.1} ARI_PORT=${ARI_PORT:-8088}
export ARI_URL=${ARI_URL:-http://$ARI_BIND:$ARI_PORT}
# AMI on loopback, for the check-sync NOTIFY that re-provisions desk phones (docs/desk-phones.md).
export AMI_PORT=${AMI_PORT:-5038}
bash scripts/asterisk.sh start
if [ -z "${ARI_PASSWORD:-}" ]; then
  ARI_PASSWORD=$(cat "${ARI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ari-password}")
  export ARI_PASSWORD
fi
if [ -z "${AMI_PASSWORD:-}" ]; then
  AMI_PASSWORD=$(cat "${AMI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ami-password}")
  export AMI_PASSWORD
fi
trap 'bash scripts/asterisk.sh stop' EXIT
node dist/apps/server/src/main.js
