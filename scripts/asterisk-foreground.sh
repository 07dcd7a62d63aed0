#!/usr/bin/env bash
# Leadline's Asterisk as a service manager wants it (docs/deployment.md):
#
#   scripts/asterisk-foreground.sh
#       the Docker image's entrypoint: checks the settings a real installation must give, renders
#       asterisk-config/ with scripts/asterisk.sh (ARI, SIP, RTP and trunk settings from the
#       environment; prompts and hold music copied in), then replaces itself with `asterisk -f`, so
#       signals (docker stop) reach Asterisk directly, without the secrets in its environment.
#   scripts/asterisk-foreground.sh --render-only [--env-file FILE]
#       ExecStart of deploy/systemd/leadline-asterisk-config.service (as root, outside Asterisk's
#       root, before every start of leadline-asterisk.service): the same checks and rendering, the
#       Asterisk settings read from FILE (the installation's env file: only the Asterisk settings are
#       taken from it, so Asterisk's unit needs no EnvironmentFile= and the server's secrets never
#       enter Asterisk's environment); systemd then starts Asterisk itself, inside its root, as its
#       own user.
# (`npm start` uses scripts/asterisk.sh start instead: a background Asterisk with dev defaults.)
#
# Environment: as scripts/asterisk.sh, but ARI_PASSWORD and TRUNK_HOST are required here, and
# AMI_PASSWORD with AMI_PORT (AMI stays off without AMI_PORT).
set -euo pipefail

say() { printf '[leadline:asterisk] %s\n' "$*" >&2; }
render_only=0
env_file=
while [ $# -gt 0 ]; do
  case "$1" in
    --render-only) render_only=1; shift ;;
    --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
    *) break ;;
  esac
done

# The settings Asterisk takes from an env file (systemd EnvironmentFile= syntax: KEY=VALUE, optional
# quotes, # comments); the environment wins over the file, as with Environment= before EnvironmentFile=.
ASTERISK_SETTINGS="ARI_PASSWORD ARI_USERNAME ARI_APP ARI_BIND ARI_PORT ARI_PERMIT SIP_BIND SIP_PORT RTP_START RTP_END TRUNK_HOST TRUNK_PORT AMI_PORT AMI_USERNAME AMI_PASSWORD LEADLINE_ASTERISK_DEBUG"
if [ -n "$env_file" ]; then
  [ -r "$env_file" ] || { say "cannot read $env_file"; exit 1; }
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=(.*)$ ]] || continue
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    case " $ASTERISK_SETTINGS " in *" $key "*) ;; *) continue ;; esac
    [ -z "${!key:-}" ] || continue
    if [[ "$value" =~ ^\"(.*)\"$ ]] || [[ "$value" =~ ^\'(.*)\'$ ]]; then value="${BASH_REMATCH[1]}"; fi
    export "$key=$value"
  done < "$env_file"
fi

missing=()
[ -n "${ARI_PASSWORD:-}" ] || missing+=("ARI_PASSWORD (the password the server uses for ARI)")
[ -n "${TRUNK_HOST:-}" ] || missing+=("TRUNK_HOST (your carrier's SIP address)")
# AMI (the desk phones' check-sync NOTIFY) only with a password the server is given too: a generated
# one would stay inside Asterisk's folder.
[ -z "${AMI_PORT:-}" ] || [ -n "${AMI_PASSWORD:-}" ] || missing+=("AMI_PASSWORD (with AMI_PORT: the server sends the desk phones' NOTIFY with it)")
if [ ${#missing[@]} -gt 0 ]; then
  for m in "${missing[@]}"; do say "$m is required (/etc/leadline/leadline.env or docker/.env; docs/deployment.md)"; done
  exit 1
fi
: "${LEADLINE_ASTERISK_DIR:=${LEADLINE_DATA_DIR:-./data}/asterisk}"
export LEADLINE_ASTERISK_DIR

"$(dirname "${BASH_SOURCE[0]}")/asterisk.sh" render
[ "$render_only" = 0 ] || exit 0

# Asterisk must not inherit the ARI and AMI passwords (ENV() could read them), nor the server's secrets.
exec env -u ARI_PASSWORD -u AMI_PASSWORD -u JWT_SECRET -u LEADLINE_ADMIN_PASSWORD -u DATABASE_URL -u REDIS_URL \
  asterisk -f -n -C "$(realpath -m -- "$LEADLINE_ASTERISK_DIR")/etc/asterisk.conf" "$@"
