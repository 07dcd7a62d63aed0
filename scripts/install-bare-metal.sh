#!/usr/bin/env bash
# Installs Leadline as two systemd services on a Debian 12 host (docs/deployment.md):
#   - Asterisk 22 in its own Debian sid root (scripts/install-asterisk-root.sh), when missing
#   - the system users `leadline` (the server) and `leadline-asterisk` (Asterisk; the server's user
#     is in its group, to read the recordings, never the other way round)
#   - /var/lib/leadline (database, secrets; the server's only), /var/lib/leadline/recordings and
#     /var/log/leadline/asterisk (Asterisk's), /var/lib/leadline/asterisk (Asterisk scratch: rendered
#     config, astdb), /var/backups/leadline
#   - /etc/leadline/leadline.env from deploy/leadline.env.example, with a generated ARI_PASSWORD
#     and JWT_SECRET (never overwritten once there)
#   - leadline-asterisk-config.service, leadline-asterisk.service and leadline.service in
#     /etc/systemd/system
# Idempotent: run it again after an upgrade; it changes only what is missing or different.
# It does not start anything: fill in /etc/leadline/leadline.env, then
#   systemctl enable --now leadline-asterisk leadline
#
# Usage: scripts/install-bare-metal.sh [--app-dir DIR] [--asterisk-root DIR] [--root DIR]
#   --app-dir DIR        the built checkout the services run from (default: this script's checkout;
#                        the units name /opt/leadline, rewritten to DIR when it differs)
#   --asterisk-root DIR  Asterisk's root [/opt/leadline/asterisk-root, or LEADLINE_ASTERISK_ROOT]
#   --root DIR           install into DIR as a filesystem root instead of / (a dry run for tests and
#                        image builds): needs DIR/etc/{passwd,group,shadow,gshadow}; no Asterisk
#                        root, no packages, no systemctl
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_DIR="$REPO_DIR"
ROOT=/
AST_ROOT="${LEADLINE_ASTERISK_ROOT:-/opt/leadline/asterisk-root}"
PREFIX="[leadline:install]"
say() { printf '%s %s\n' "$PREFIX" "$*"; }
die() { printf '%s %s\n' "$PREFIX" "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --app-dir) APP_DIR="$(realpath -m -- "${2:?--app-dir needs a folder}")"; shift 2 ;;
    --asterisk-root) AST_ROOT="$(realpath -m -- "${2:?--asterisk-root needs a folder}")"; shift 2 ;;
    --root) ROOT="$(realpath -m -- "${2:?--root needs a folder}")"; shift 2 ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
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
AST_USER=leadline-asterisk
DATA=/var/lib/leadline
RECORDINGS=$DATA/recordings
AST_DIR=$DATA/asterisk
LOGS=/var/log/leadline
BACKUPS=/var/backups/leadline
ETC=/etc/leadline
ENV_FILE=$ETC/leadline.env
UNIT_DIR=/etc/systemd/system

# ---- Asterisk 22 in its own root (real root only) --------------------------------------------
if [ "$REAL_ROOT" = 1 ]; then
  LEADLINE_ASTERISK_ROOT="$AST_ROOT" bash "$REPO_DIR/scripts/install-asterisk-root.sh"
fi
if [ "$REAL_ROOT" = 1 ] && command -v systemctl >/dev/null 2>&1; then
  # A packaged asterisk.service (an earlier installation's) would take the SIP port.
  if systemctl is-enabled --quiet asterisk.service 2>/dev/null || systemctl is-active --quiet asterisk.service 2>/dev/null; then
    say "disabling the packaged asterisk.service (leadline-asterisk.service replaces it)"
    systemctl disable --now asterisk.service >/dev/null 2>&1 || true
  fi
fi

# ---- users --------------------------------------------------------------------------------
# add_user <name> <home> <comment>
add_user() {
  if [ "$REAL_ROOT" = 1 ]; then
    getent passwd "$1" >/dev/null && return 0
    useradd --system --user-group --home-dir "$2" --no-create-home --shell /usr/sbin/nologin --comment "$3" "$1"
    say "created user $1"
  else
    for f in passwd group shadow gshadow; do [ -f "$(r /etc/$f)" ] || die "--root $ROOT needs etc/$f"; done
    grep -q "^$1:" "$(r /etc/passwd)" && return 0
    useradd --prefix "$ROOT" --system --user-group --home-dir "$2" --no-create-home --shell /usr/sbin/nologin --comment "$3" "$1"
    say "created user $1 in $ROOT"
  fi
}
# ids_of <name>: "uid:gid" of a user of the target root.
ids_of() {
  if [ "$REAL_ROOT" = 1 ]; then printf '%s:%s' "$(id -u "$1")" "$(id -g "$1")"
  else awk -F: -v u="$1" '$1 == u { print $3 ":" $4 }' "$(r /etc/passwd)"; fi
}
add_user "$USER_NAME" "$DATA" "Leadline server"
add_user "$AST_USER" /nonexistent "Leadline's Asterisk"
OWNER="$(ids_of "$USER_NAME")"
GROUP="${OWNER#*:}"
AST_OWNER="$(ids_of "$AST_USER")"
AST_GROUP="${AST_OWNER#*:}"
# The server's user reads what Asterisk writes (recordings, for backups) through Asterisk's group.
if ! grep -qE "^$AST_USER:[^:]*:[^:]*:(.*,)?$USER_NAME(,.*)?$" "$(r /etc/group)"; then
  if [ "$REAL_ROOT" = 1 ]; then usermod -a -G "$AST_USER" "$USER_NAME"; else usermod --prefix "$ROOT" -a -G "$AST_USER" "$USER_NAME"; fi
  say "added $USER_NAME to the group $AST_USER"
fi

# ---- folders --------------------------------------------------------------------------------
# mkdir_as <path> <mode> <owner>: creates it or corrects mode and owner.
mkdir_as() {
  mkdir -p "$(r "$1")"
  chmod "$2" "$(r "$1")"
  chown "$3" "$(r "$1")"
}
# The server's: data, backups. Asterisk's (as scripts/asterisk.sh renders them): its scratch folder
# (root-owned, its group may read), spool, recordings and logs.
mkdir_as "$DATA" 750 "$OWNER"
mkdir_as "$BACKUPS" 750 "$OWNER"
mkdir_as "$RECORDINGS" 750 "$AST_OWNER"
mkdir_as "$AST_DIR" 750 "0:$AST_GROUP"
mkdir_as "$AST_DIR/spool" 750 "$AST_OWNER"
mkdir_as "$LOGS" 755 "0:0"
mkdir_as "$LOGS/asterisk" 750 "$AST_OWNER"
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
  chown -h "$AST_OWNER" "$link"
}
# Asterisk writes recordings into its spool and logs into its log dir: point both at the FHS places.
link_dir "$AST_DIR/spool/recording" "$RECORDINGS" ../../recordings
link_dir "$AST_DIR/log" "$LOGS/asterisk" ../../../log/leadline/asterisk

# Inside Asterisk's root: the places its unit binds these folders to (BindPaths=).
if [ "$REAL_ROOT" = 1 ]; then
  for dir in "$AST_DIR" "$RECORDINGS" "$LOGS/asterisk"; do mkdir -p "$AST_ROOT$dir"; done
fi

# ---- environment file -----------------------------------------------------------------------
secret() { head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c "$1"; }
if [ ! -f "$(r "$ENV_FILE")" ]; then
  (umask 027 && sed \
    -e "s/^ARI_PASSWORD=\$/ARI_PASSWORD=$(secret 40)/" \
    -e "s/^JWT_SECRET=\$/JWT_SECRET=$(secret 64)/" \
    -e "s/^#AMI_PORT=\$/AMI_PORT=5038/" \
    -e "s/^#AMI_PASSWORD=\$/AMI_PASSWORD=$(secret 40)/" \
    "$APP_DIR/deploy/leadline.env.example" > "$(r "$ENV_FILE").tmp")
  mv "$(r "$ENV_FILE").tmp" "$(r "$ENV_FILE")"
  say "wrote $ENV_FILE (generated ARI_PASSWORD, JWT_SECRET and AMI_PASSWORD, AMI on loopback port 5038 for the desk phones' NOTIFY): set SIP_PUBLIC_HOST and TRUNK_HOST there"
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
for unit in leadline-asterisk-config.service leadline-asterisk.service leadline.service; do
  tmp="$(mktemp)"
  sed -e "s#/opt/leadline/asterisk-root#@ASTERISK_ROOT@#g" -e "s#/opt/leadline#$APP_DIR#g" -e "s#@ASTERISK_ROOT@#$AST_ROOT#g" \
    "$APP_DIR/deploy/systemd/$unit" > "$tmp"
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
