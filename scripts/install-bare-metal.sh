#!/usr/bin/env bash
# Installs Leadline as two systemd services on a Debian 12 host (docs/deployment.md):
#   - the system user `leadline` (no login, home /var/lib/leadline)
#   - /var/lib/leadline (database, secrets), /var/lib/leadline/recordings, /var/lib/leadline/asterisk
#     (Asterisk scratch: rendered config, astdb), /var/log/leadline (Asterisk logs), /var/backups/leadline
#   - /etc/leadline/leadline.env from deploy/leadline.env.example, with a generated ARI_PASSWORD
#     and JWT_SECRET (never overwritten once there)
#   - leadline-asterisk.service and leadline.service in /etc/systemd/system
#   - Asterisk 16 from Debian bullseye, pinned (scripts/pin-asterisk-bullseye.sh), when missing
# Idempotent: run it again after an upgrade; it changes only what is missing or different.
# It does not start anything: fill in /etc/leadline/leadline.env, then
#   systemctl enable --now leadline-asterisk leadline
#
# Usage: scripts/install-bare-metal.sh [--app-dir DIR] [--root DIR]
#   --app-dir DIR  the built checkout the services run from (default: this script's checkout;
#                  the units name /opt/leadline, rewritten to DIR when it differs)
#   --root DIR     install into DIR as a filesystem root instead of / (a dry run for tests and
#                  image builds): needs DIR/etc/{passwd,group,shadow,gshadow}; no packages, no systemctl
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR="$REPO_DIR"
ROOT=/
PREFIX="[leadline:install]"
say() { printf '%s %s\n' "$PREFIX" "$*"; }
die() { printf '%s %s\n' "$PREFIX" "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) APP_DIR="$(realpath -m -- "${2:?--app-dir needs a folder}")"; shift 2 ;;
    --root) ROOT="$(realpath -m -- "${2:?--root needs a folder}")"; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"
if [ ! -x "$APP_DIR/scripts/asterisk.sh" ] || [ ! -d "$APP_DIR/asterisk-config" ]; then
  die "$APP_DIR is not a Leadline checkout (no scripts/asterisk.sh, asterisk-config/)"
fi
if [ ! -f "$APP_DIR/dist/apps/server/src/main.js" ]; then
  say "note: $APP_DIR is not built yet: run 'npm ci && npm run build' there before starting the services"
fi
REAL_ROOT=0
[ "$ROOT" = / ] && REAL_ROOT=1
r() { printf '%s%s' "${ROOT%/}" "$1"; }   # a path inside the target root

USER_NAME=leadline
DATA=/var/lib/leadline
RECORDINGS=$DATA/recordings
AST_DIR=$DATA/asterisk
LOGS=/var/log/leadline
BACKUPS=/var/backups/leadline
ETC=/etc/leadline
ENV_FILE=$ETC/leadline.env
UNIT_DIR=/etc/systemd/system

# ---- Asterisk (real root only) -------------------------------------------------------------
if [ "$REAL_ROOT" = 1 ] && ! command -v asterisk >/dev/null 2>&1; then
  say "installing Asterisk 16 (Debian bullseye, pinned)"
  bash "$REPO_DIR/scripts/pin-asterisk-bullseye.sh"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends asterisk >/dev/null
fi
if [ "$REAL_ROOT" = 1 ] && command -v systemctl >/dev/null 2>&1; then
  # The package's own asterisk.service would take the SIP port: Leadline runs its own instance.
  if systemctl is-enabled --quiet asterisk.service 2>/dev/null || systemctl is-active --quiet asterisk.service 2>/dev/null; then
    say "disabling the packaged asterisk.service (leadline-asterisk.service replaces it)"
    systemctl disable --now asterisk.service >/dev/null 2>&1 || true
  fi
fi

# ---- user -----------------------------------------------------------------------------------
if [ "$REAL_ROOT" = 1 ]; then
  if ! getent passwd "$USER_NAME" >/dev/null; then
    useradd --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
    say "created user $USER_NAME"
  fi
  OWNER="$(id -u "$USER_NAME"):$(id -g "$USER_NAME")"
  GROUP="$(id -g "$USER_NAME")"
else
  for f in passwd group shadow gshadow; do [ -f "$(r /etc/$f)" ] || die "--root $ROOT needs etc/$f"; done
  if ! grep -q "^$USER_NAME:" "$(r /etc/passwd)"; then
    useradd --prefix "$ROOT" --system --user-group --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
    say "created user $USER_NAME in $ROOT"
  fi
  OWNER="$(awk -F: -v u="$USER_NAME" '$1 == u { print $3 ":" $4 }' "$(r /etc/passwd)")"
  GROUP="${OWNER#*:}"
fi

# ---- folders --------------------------------------------------------------------------------
# mkdir_as <path> <mode> <owner>: creates it or corrects mode and owner.
mkdir_as() {
  mkdir -p "$(r "$1")"
  chmod "$2" "$(r "$1")"
  chown "$3" "$(r "$1")"
}
mkdir_as "$DATA" 750 "$OWNER"
mkdir_as "$RECORDINGS" 750 "$OWNER"
mkdir_as "$AST_DIR" 700 "$OWNER"
mkdir_as "$AST_DIR/spool" 750 "$OWNER"
mkdir_as "$LOGS" 750 "$OWNER"
mkdir_as "$LOGS/asterisk" 750 "$OWNER"
mkdir_as "$BACKUPS" 750 "$OWNER"
mkdir_as "$ETC" 750 "0:$GROUP"

# link_dir <link> <target> <relative target>: <link> becomes a relative symlink to <target> (it then
# resolves inside a --root too); files already in a real folder at <link> move to <target> first
# (an Asterisk that ran before this layout existed).
link_dir() {
  local link target relative current
  link="$(r "$1")" target="$2" relative="$3"
  [ "$(realpath -m -- "$(dirname "$link")/$relative")" = "$(realpath -m -- "$(r "$target")")" ] || die "bug: $relative from $1 is not $target"
  if [ -L "$link" ]; then
    current="$(readlink "$link")"
    [ "$current" = "$relative" ] && return 0
    rm -f "$link"
  elif [ -d "$link" ]; then
    if [ -n "$(ls -A "$link")" ]; then
      cp -a "$link"/. "$(r "$target")"/
      say "moved the files of $1 to $target"
    fi
    rm -rf "$link"
  fi
  ln -s "$relative" "$link"
  chown -h "$OWNER" "$link"
}
# Asterisk writes recordings into its spool and logs into its log dir: point both at the FHS places.
link_dir "$AST_DIR/spool/recording" "$RECORDINGS" ../../recordings
link_dir "$AST_DIR/log" "$LOGS/asterisk" ../../../log/leadline/asterisk

# ---- environment file -----------------------------------------------------------------------
secret() { head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c "$1"; }
if [ ! -f "$(r "$ENV_FILE")" ]; then
  (umask 027 && sed \
    -e "s/^ARI_PASSWORD=\$/ARI_PASSWORD=$(secret 40)/" \
    -e "s/^JWT_SECRET=\$/JWT_SECRET=$(secret 64)/" \
    "$APP_DIR/deploy/leadline.env.example" > "$(r "$ENV_FILE").tmp")
  mv "$(r "$ENV_FILE").tmp" "$(r "$ENV_FILE")"
  say "wrote $ENV_FILE (generated ARI_PASSWORD and JWT_SECRET): set SIP_PUBLIC_HOST and TRUNK_HOST there"
else
  # A newer version may document settings the existing file lacks: say which (nothing changes).
  missing="$(grep -oE '^#?[A-Z][A-Z0-9_]*=' "$APP_DIR/deploy/leadline.env.example" | tr -d '#=' | while read -r name; do
    grep -qE "^#?$name=" "$(r "$ENV_FILE")" || printf '%s ' "$name"
  done)"
  [ -z "$missing" ] || say "note: $ENV_FILE does not mention $missing(see deploy/leadline.env.example); defaults apply"
fi
chmod 640 "$(r "$ENV_FILE")"
chown "0:$GROUP" "$(r "$ENV_FILE")"

# ---- units ----------------------------------------------------------------------------------
mkdir -p "$(r "$UNIT_DIR")"
changed=0
for unit in leadline-asterisk.service leadline.service; do
  tmp="$(mktemp)"
  sed "s#/opt/leadline#$APP_DIR#g" "$APP_DIR/deploy/systemd/$unit" > "$tmp"
  if ! cmp -s "$tmp" "$(r "$UNIT_DIR/$unit")"; then
    install -m 644 "$tmp" "$(r "$UNIT_DIR/$unit")"
    say "installed $UNIT_DIR/$unit"
    changed=1
  fi
  rm -f "$tmp"
done
if [ "$REAL_ROOT" = 1 ] && [ "$changed" = 1 ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
fi

say "done. Next: edit $ENV_FILE, then: systemctl enable --now leadline-asterisk leadline"
say "logs: journalctl -u leadline -u leadline-asterisk; $LOGS/asterisk; health: curl -s http://127.0.0.1:3000/api/health"
