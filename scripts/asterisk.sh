#!/usr/bin/env bash
# Runs Leadline's own Asterisk 22 from asterisk-config/ templates, entirely inside a scratch
# folder. Never touches /etc/asterisk or a system Asterisk.
#
#   scripts/asterisk.sh start    render config, start Asterisk, wait until ARI answers (re-runnable)
#   scripts/asterisk.sh stop     stop it (core stop now; SIGKILL after 10 s); exit 0 if not running
#   scripts/asterisk.sh status   say whether it runs (exit 0 either way)
#   scripts/asterisk.sh render   only render the config into the scratch folder
#   scripts/asterisk.sh cli CMD  run one CLI command against the running instance (asterisk -rx)
#
# Asterisk 22 lives in an isolated Debian sid root (scripts/install-asterisk-root.sh). It runs in
# a mount namespace of its own, chrooted into that root, with only its scratch folder bound in at
# the same path, as the unprivileged user LEADLINE_ASTERISK_USER: it cannot see the server's data,
# secrets or database. LEADLINE_ASTERISK_ROOT=/ runs an Asterisk installed on this system instead
# (the Docker image, which is itself the isolated root).
#
# Environment (defaults in brackets):
#   LEADLINE_DATA_DIR [./data]   LEADLINE_ASTERISK_DIR [$LEADLINE_DATA_DIR/asterisk]
#   LEADLINE_ASTERISK_ROOT [/opt/leadline/asterisk-root]
#   LEADLINE_ASTERISK_USER [leadline-asterisk]  created on first start when missing (needs root)
#   ARI_BIND [127.0.0.1]  ARI_PORT [8088]  ARI_USERNAME [leadline]  ARI_APP [leadline]
#   ARI_PERMIT [127.0.0.1/32]  addresses/CIDRs ARI answers (the server's); all others get 403
#   ARI_PASSWORD  required by Asterisk; when unset a random one is generated once and kept in
#                 ARI_PASSWORD_FILE [$LEADLINE_DATA_DIR/ari-password] (mode 600) and reused
#                 afterwards. Asterisk's ari.conf only ever holds its SHA-512 crypt hash.
#   AMI_PORT [unset = AMI off]  set: AMI on 127.0.0.1:AMI_PORT with one user, AMI_USERNAME
#                 [leadline-notify], from loopback only, for PJSIPNotify (check-sync to desk phones)
#                 and Hangup (ringing legs a won lead makes moot)
#   AMI_PASSWORD  when unset a random one is generated once and kept in AMI_PASSWORD_FILE
#                 [$LEADLINE_DATA_DIR/ami-password] (mode 600); the server needs the same one
#   SIP_BIND [127.0.0.1]  SIP_PORT [5060]  RTP_START [10000]  RTP_END [10999]
#   TRUNK_HOST [127.0.0.1]  TRUNK_PORT [5090]  where calls to the carrier go
#   TRUNK_SOURCES [$TRUNK_HOST]  addresses / CIDRs / host names (comma-separated) the carrier sends
#                 from: only INVITEs from these are the trunk's (never by From user)
#   TRUNK_USERNAME / TRUNK_PASSWORD [unset]  digest credentials, when the carrier challenges our calls
#   TRUNK_REGISTER [no]  yes = register to the carrier with them (needs TRUNK_USERNAME/PASSWORD)
#   ASTERISK_MODULES_DIR [found in the root]  ASTERISK_SHARE_DIR [/usr/share/asterisk]
#   ASTERISK_CACHE_DIR [$LEADLINE_ASTERISK_DIR/cache]  Asterisk's media cache (astcachedir: the
#                 org's uploaded prompts it fetches over HTTP). Its path must hold no '.': Asterisk
#                 22's media cache computes wrong file names under such a folder (docs/asterisk.md)
#   LEADLINE_ASTERISK_DEBUG [0]  1 = verbose "full" log (log/full) and -vvv
#   LEADLINE_ASTERISK_START_TIMEOUT [30]  seconds to wait for ARI
#
# The ARI password is never printed, nor any URL carrying it.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATE_DIR="$REPO_DIR/asterisk-config"
PREFIX="[leadline:asterisk]"

say() { printf '%s %s\n' "$PREFIX" "$*"; }
err() { printf '%s %s\n' "$PREFIX" "$*" >&2; }
die() { err "$*"; exit 1; }

usage() {
  echo "usage: $0 start|stop|status|render|cli <command>" >&2
  exit 2
}

# ---------------------------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------------------------
load_config() {
  LEADLINE_DATA_DIR="${LEADLINE_DATA_DIR:-./data}"
  LEADLINE_ASTERISK_DIR="${LEADLINE_ASTERISK_DIR:-$LEADLINE_DATA_DIR/asterisk}"
  LEADLINE_ASTERISK_DIR="$(realpath -m -- "$LEADLINE_ASTERISK_DIR")"
  CACHE_DIR_GIVEN="${ASTERISK_CACHE_DIR:+yes}"
  ASTERISK_CACHE_DIR="$(realpath -m -- "${ASTERISK_CACHE_DIR:-$LEADLINE_ASTERISK_DIR/cache}")"
  ARI_BIND="${ARI_BIND:-127.0.0.1}"
  ARI_PORT="${ARI_PORT:-8088}"
  ARI_USERNAME="${ARI_USERNAME:-leadline}"
  ARI_APP="${ARI_APP:-leadline}"
  ARI_PERMIT="${ARI_PERMIT:-127.0.0.1/32}"
  SIP_BIND="${SIP_BIND:-127.0.0.1}"
  SIP_PORT="${SIP_PORT:-5060}"
  RTP_START="${RTP_START:-10000}"
  RTP_END="${RTP_END:-10999}"
  TRUNK_HOST="${TRUNK_HOST:-127.0.0.1}"
  TRUNK_PORT="${TRUNK_PORT:-5090}"
  TRUNK_SOURCES="${TRUNK_SOURCES:-$TRUNK_HOST}"
  TRUNK_USERNAME="${TRUNK_USERNAME:-}"
  TRUNK_PASSWORD="${TRUNK_PASSWORD:-}"
  TRUNK_REGISTER="${TRUNK_REGISTER:-no}"
  ASTERISK_ROOT="${LEADLINE_ASTERISK_ROOT:-/opt/leadline/asterisk-root}"
  ASTERISK_ROOT="${ASTERISK_ROOT%/}"
  ASTERISK_USER="${LEADLINE_ASTERISK_USER:-leadline-asterisk}"
  # Paths Asterisk sees are the same inside its root and here; $ASTERISK_ROOT prefixes them for
  # the checks made from outside (empty for LEADLINE_ASTERISK_ROOT=/).
  if [ -z "${ASTERISK_MODULES_DIR:-}" ]; then
    local m
    for m in "$ASTERISK_ROOT"/usr/lib/*/asterisk/modules "$ASTERISK_ROOT"/usr/lib/asterisk/modules; do
      if [ -d "$m" ]; then ASTERISK_MODULES_DIR="${m#"$ASTERISK_ROOT"}"; break; fi
    done
    ASTERISK_MODULES_DIR="${ASTERISK_MODULES_DIR:-/usr/lib/asterisk/modules}"
  fi
  ASTERISK_SHARE_DIR="${ASTERISK_SHARE_DIR:-/usr/share/asterisk}"
  ARI_PASSWORD_FILE="${ARI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ari-password}"
  AMI_PORT="${AMI_PORT:-}"
  AMI_USERNAME="${AMI_USERNAME:-leadline-notify}"
  AMI_PASSWORD_FILE="${AMI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ami-password}"
  LEADLINE_ASTERISK_DEBUG="${LEADLINE_ASTERISK_DEBUG:-0}"
  START_TIMEOUT="${LEADLINE_ASTERISK_START_TIMEOUT:-30}"

  local p
  for p in ARI_PORT SIP_PORT RTP_START RTP_END TRUNK_PORT; do
    [[ "${!p}" =~ ^[0-9]+$ ]] && (( ${!p} >= 1 && ${!p} <= 65535 )) || die "$p must be a port number (got '${!p}')"
  done
  if [ -n "$AMI_PORT" ]; then
    [[ "$AMI_PORT" =~ ^[0-9]+$ ]] && (( AMI_PORT >= 1 && AMI_PORT <= 65535 )) || die "AMI_PORT must be a port number (got '$AMI_PORT')"
    [[ "$AMI_USERNAME" =~ ^[A-Za-z0-9_.-]+$ ]] || die "AMI_USERNAME may only hold letters, digits, '_', '.', '-' (got '$AMI_USERNAME')"
  fi
  (( RTP_START < RTP_END )) || die "RTP_START ($RTP_START) must be below RTP_END ($RTP_END)"
  for p in ARI_BIND SIP_BIND TRUNK_HOST; do
    [[ "${!p}" =~ ^[A-Za-z0-9.:_-]+$ ]] || die "$p must be an address or host name (got '${!p}')"
  done
  [[ "$ARI_PERMIT" =~ ^[0-9A-Fa-f.:/,]+$ ]] || die "ARI_PERMIT must be addresses or CIDR ranges, comma-separated (got '$ARI_PERMIT')"
  [[ "$TRUNK_SOURCES" =~ ^[A-Za-z0-9.:/_-]+(,[A-Za-z0-9.:/_-]+)*$ ]] || die "TRUNK_SOURCES must be addresses, CIDR ranges or host names, comma-separated (got '$TRUNK_SOURCES')"
  [[ "$TRUNK_USERNAME" =~ ^[A-Za-z0-9_.+@-]*$ ]] || die "TRUNK_USERNAME may only hold letters, digits and _ . + @ -"
  [[ "$TRUNK_PASSWORD" != *[$'\n\r;']* && "$TRUNK_PASSWORD" == "${TRUNK_PASSWORD#[[:space:]]}" && "$TRUNK_PASSWORD" == "${TRUNK_PASSWORD%[[:space:]]}" ]] || die "TRUNK_PASSWORD must not contain ';', line breaks, or spaces at either end"
  { [ -n "$TRUNK_USERNAME" ] && [ -n "$TRUNK_PASSWORD" ]; } || { [ -z "$TRUNK_USERNAME" ] && [ -z "$TRUNK_PASSWORD" ]; } || die "TRUNK_USERNAME and TRUNK_PASSWORD go together (set both or neither)"
  case "$TRUNK_REGISTER" in
    no) ;;
    yes) [ -n "$TRUNK_USERNAME" ] || die "TRUNK_REGISTER=yes needs TRUNK_USERNAME and TRUNK_PASSWORD" ;;
    *) die "TRUNK_REGISTER must be yes or no (got '$TRUNK_REGISTER')" ;;
  esac
  for p in ARI_USERNAME ARI_APP; do
    [[ "${!p}" =~ ^[A-Za-z0-9_.-]+$ ]] || die "$p may only hold letters, digits, '_', '.', '-' (got '${!p}')"
  done
  [[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "LEADLINE_ASTERISK_START_TIMEOUT must be a number of seconds"
  # Asterisk 22's media cache (main/media_cache.c, bucket_file_update_path) adds the file's
  # extension only when the whole cache path has no '.', then cuts the name at the last '.' it
  # finds — in a folder name: an uploaded prompt fetched into such a folder never plays.
  [[ "$ASTERISK_CACHE_DIR" =~ ^/[A-Za-z0-9/_+-]*$ ]] || {
    local why="ASTERISK_CACHE_DIR ($ASTERISK_CACHE_DIR) must be a path of letters, digits, '/', '_', '+', '-' only — no '.': Asterisk 22's media cache computes wrong file names under a folder whose path holds a dot, so an org's uploaded disclosure prompt would not play (docs/asterisk.md)"
    [ -n "$CACHE_DIR_GIVEN" ] && die "$why"
    say "WARNING: $why; set ASTERISK_CACHE_DIR to such a path"
  }

  AST_CONF="$LEADLINE_ASTERISK_DIR/etc/asterisk.conf"
  RUN_DIR="$LEADLINE_ASTERISK_DIR/run"
  LOG_DIR="$LEADLINE_ASTERISK_DIR/log"
  PID_FILE="$RUN_DIR/asterisk.pid"
  CTL_FILE="$RUN_DIR/asterisk.ctl"
  PASSWORD_FILE="$(realpath -m -- "$ARI_PASSWORD_FILE")"

  # The control socket path must fit a sockaddr_un (108 bytes incl. NUL).
  if (( ${#CTL_FILE} > 100 )); then
    die "LEADLINE_ASTERISK_DIR is too long for Asterisk's control socket ($CTL_FILE); use a shorter path"
  fi
}

# Sets ARI_PASSWORD: from the environment, else the stored one, else a new random one.
ensure_password() {
  # Before Asterisk ran as its own user the file lived in its (now Asterisk-owned) folder.
  if [ ! -e "$PASSWORD_FILE" ] && [ -s "$LEADLINE_ASTERISK_DIR/ari-password" ]; then
    (umask 077 && mkdir -p "$(dirname "$PASSWORD_FILE")")
    mv "$LEADLINE_ASTERISK_DIR/ari-password" "$PASSWORD_FILE"
  fi
  if [ -n "${ARI_PASSWORD:-}" ]; then
    PASSWORD_SOURCE="env"
  elif [ -s "$PASSWORD_FILE" ]; then
    ARI_PASSWORD="$(head -n 1 "$PASSWORD_FILE")"
    PASSWORD_SOURCE="file"
  else
    # The server's data folder: nobody but its owner enters it (Asterisk's user included).
    (umask 077 && mkdir -p "$(dirname "$PASSWORD_FILE")")
    ARI_PASSWORD="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
    (umask 077 && printf '%s\n' "$ARI_PASSWORD" > "$PASSWORD_FILE")
    PASSWORD_SOURCE="generated"
  fi
  if [ "$PASSWORD_SOURCE" != "env" ]; then
    chmod 600 "$PASSWORD_FILE"
    say "ARI password ($PASSWORD_SOURCE): $PASSWORD_FILE"
  fi
  # ari.conf syntax: ';' starts a comment, surrounding blanks are trimmed.
  case "$ARI_PASSWORD" in
    *';'* | *$'\n'* | *$'\r'* | ' '* | *' ' | *$'\t'*)
      die "ARI_PASSWORD must not contain ';', line breaks, tabs or leading/trailing spaces" ;;
  esac
  (( ${#ARI_PASSWORD} >= 12 )) || die "ARI_PASSWORD is too short (at least 12 characters; unset it to get a generated one)"
  # ari.conf gets a SHA-512 crypt hash (password_format = crypt), never the password itself.
  # Asterisk checks it on every ARI request: at crypt's default 5000 rounds that was 2.5 ms of CPU
  # per request on a 2-core machine, nine cancels' worth of it between a ring-all winner's digit and
  # the last loser's CANCEL; 1000 rounds (the least SHA-512 crypt takes) cost 0.7 ms. The password
  # is generated (40 random letters and digits) unless set, and then at least 12 characters
  # (docs/benchmarks.md, "Ring All: ARI's password check").
  ARI_PASSWORD_CRYPT="$(LEADLINE_PW="$ARI_PASSWORD" perl -e '
    open(my $r, "<", "/dev/urandom") or die; read($r, my $b, 12);
    my @c = ("a".."z", "A".."Z", "0".."9", ".", "/");
    my $salt = join("", map { $c[ord($_) % 64] } split(//, $b));
    my $h = crypt($ENV{LEADLINE_PW}, "\$6\$rounds=1000\$$salt\$");
    die "crypt() lacks SHA-512\n" unless defined $h && $h =~ /^\$6\$/;
    print $h;')" || die "could not hash the ARI password (perl crypt with SHA-512)"
}

# Sets AMI_ENABLED / AMI_USER_SECTION for manager.conf: AMI off without AMI_PORT; else one user,
# from loopback only, that may send PJSIPNotify and Hangup (write = system) and receives no events. Its
# password: AMI_PASSWORD, else the stored one, else a new random one (manager.conf cannot hold a
# hash: the rendered copy is readable by Asterisk's user only).
ami_config() {
  AMI_ENABLED=no AMI_USER_SECTION="" AMI_RENDER_PORT="${AMI_PORT:-5038}"
  [ -n "$AMI_PORT" ] || return 0
  local file
  file="$(realpath -m -- "$AMI_PASSWORD_FILE")"
  if [ -z "${AMI_PASSWORD:-}" ]; then
    if [ -s "$file" ]; then
      AMI_PASSWORD="$(head -n 1 "$file")"
    else
      (umask 077 && mkdir -p "$(dirname "$file")")
      AMI_PASSWORD="$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
      (umask 077 && printf '%s\n' "$AMI_PASSWORD" > "$file")
    fi
    chmod 600 "$file"
  fi
  [[ "$AMI_PASSWORD" =~ ^[A-Za-z0-9_.+/=-]{12,}$ ]] || die "AMI_PASSWORD must be at least 12 letters, digits or _ . + / = - (unset it to get a generated one)"
  AMI_ENABLED=yes
  AMI_USER_SECTION="
[$AMI_USERNAME]
secret = $AMI_PASSWORD
deny = 0.0.0.0/0.0.0.0
permit = 127.0.0.1/255.255.255.255
read =
write = system"
}

# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------
TEMPLATE_VARS="AMI_ENABLED AMI_PORT AMI_USER_SECTION LEADLINE_ASTERISK_DIR ASTERISK_CACHE_DIR ASTERISK_MODULES_DIR ARI_BIND ARI_PORT ARI_USERNAME ARI_PASSWORD_CRYPT ARI_PERMIT ARI_APP SIP_BIND SIP_PORT RTP_START RTP_END TRUNK_HOST TRUNK_PORT TRUNK_SOURCES TRUNK_OUTBOUND_AUTH TRUNK_AUTH_SECTIONS TRUNK_REGISTRATION_MODULE LOGGER_FULL"

# render_file <template> <dest>: replaces ${VAR} for the known variables only, so Asterisk's own
# ${EXTEN}, ${STASISSTATUS}, ... stay as they are. Values go through the environment of perl only.
render_file() {
  local alternation="${TEMPLATE_VARS// /|}"
  (umask 077 && env \
    AMI_ENABLED="$AMI_ENABLED" AMI_PORT="$AMI_RENDER_PORT" AMI_USER_SECTION="$AMI_USER_SECTION" \
    LEADLINE_ASTERISK_DIR="$LEADLINE_ASTERISK_DIR" ASTERISK_CACHE_DIR="$ASTERISK_CACHE_DIR" ASTERISK_MODULES_DIR="$ASTERISK_MODULES_DIR" \
    ARI_BIND="$ARI_BIND" ARI_PORT="$ARI_PORT" ARI_USERNAME="$ARI_USERNAME" ARI_PASSWORD_CRYPT="$ARI_PASSWORD_CRYPT" \
    ARI_PERMIT="$ARI_PERMIT" ARI_APP="$ARI_APP" SIP_BIND="$SIP_BIND" SIP_PORT="$SIP_PORT" RTP_START="$RTP_START" RTP_END="$RTP_END" \
    TRUNK_HOST="$TRUNK_HOST" TRUNK_PORT="$TRUNK_PORT" TRUNK_SOURCES="$TRUNK_SOURCES" TRUNK_OUTBOUND_AUTH="$TRUNK_OUTBOUND_AUTH" \
    TRUNK_AUTH_SECTIONS="$TRUNK_AUTH_SECTIONS" TRUNK_REGISTRATION_MODULE="$TRUNK_REGISTRATION_MODULE" LOGGER_FULL="$LOGGER_FULL" \
    perl -pe 's/\$\{('"$alternation"')\}/$ENV{$1}/g' "$1" > "$2.tmp" && mv -f "$2.tmp" "$2")
}

# Follows symlinks of <path> as Asterisk sees it inside its root (Debian's sounds/en is a link
# through /etc/alternatives, absolute inside the root).
resolve_in_root() {
  local p="$1" t n=0
  while [ -L "$ASTERISK_ROOT$p" ] && (( n++ < 20 )); do
    t="$(readlink "$ASTERISK_ROOT$p")"
    case "$t" in
      /*) p="$t" ;;
      *) p="$(dirname "$p")/$t" ;;
    esac
  done
  printf '%s' "$p"
}

# Sets AST_UID/AST_GID: the user Asterisk runs as. As root that is LEADLINE_ASTERISK_USER (a system
# user without login, created when missing); otherwise Asterisk can only run as the caller.
resolve_asterisk_user() {
  if [ "$(id -u)" -ne 0 ]; then
    AST_UID="$(id -u)" AST_GID="$(id -g)"
    return
  fi
  if ! getent passwd "$ASTERISK_USER" >/dev/null; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --comment "Leadline's Asterisk" "$ASTERISK_USER" || die "could not create the user $ASTERISK_USER"
    say "created the system user $ASTERISK_USER for Asterisk"
  fi
  AST_UID="$(id -u "$ASTERISK_USER")" AST_GID="$(id -g "$ASTERISK_USER")"
  (( AST_UID != 0 )) || die "LEADLINE_ASTERISK_USER must not be root"
}

# Sets the optional trunk pieces of pjsip.conf / modules.conf: digest credentials towards the carrier
# (TRUNK_USERNAME/TRUNK_PASSWORD) and outbound registration (TRUNK_REGISTER=yes).
trunk_auth_config() {
  TRUNK_OUTBOUND_AUTH="; no digest credentials towards the carrier (IP-authenticated trunk)"
  TRUNK_AUTH_SECTIONS=""
  TRUNK_REGISTRATION_MODULE="; no outbound registration (TRUNK_REGISTER=no)"
  [ -n "$TRUNK_USERNAME" ] || return 0
  TRUNK_OUTBOUND_AUTH="outbound_auth = trunk-auth"
  TRUNK_AUTH_SECTIONS="
[trunk-auth]
type = auth
auth_type = userpass
username = $TRUNK_USERNAME
password = $TRUNK_PASSWORD"
  if [ "$TRUNK_REGISTER" = yes ]; then
    TRUNK_REGISTRATION_MODULE="load => res_pjsip_outbound_registration.so"
    TRUNK_AUTH_SECTIONS="$TRUNK_AUTH_SECTIONS

[trunk-registration]
type = registration
transport = transport-udp
outbound_auth = trunk-auth
server_uri = sip:$TRUNK_HOST:$TRUNK_PORT
client_uri = sip:$TRUNK_USERNAME@$TRUNK_HOST:$TRUNK_PORT
contact_user = $TRUNK_USERNAME
retry_interval = 60
forbidden_retry_interval = 600
expiration = 3600
line = yes
endpoint = trunk"
  fi
}

render() {
  [ -d "$TEMPLATE_DIR" ] || die "templates not found: $TEMPLATE_DIR"
  [ -d "$ASTERISK_ROOT$ASTERISK_MODULES_DIR" ] || die "Asterisk modules not found in $ASTERISK_ROOT$ASTERISK_MODULES_DIR (set ASTERISK_MODULES_DIR, or run scripts/install-asterisk-root.sh)"
  command -v perl >/dev/null 2>&1 || die "perl is required to render the config"
  resolve_asterisk_user

  if [ "$LEADLINE_ASTERISK_DEBUG" = "1" ]; then
    LOGGER_FULL="full => notice,warning,error,verbose(3),dtmf"
  else
    LOGGER_FULL="; full log off (LEADLINE_ASTERISK_DEBUG=1 turns it on)"
  fi

  trunk_auth_config
  ami_config

  local d="$LEADLINE_ASTERISK_DIR"
  mkdir -p "$d/etc" "$d/run" "$d/log" "$d/spool/recording" "$d/lib/keys" "$ASTERISK_CACHE_DIR" "$d/data/sounds/en/leadline" "$d/data/moh"

  # Templates -> etc. Stale files from older versions go.
  find "$d/etc" -maxdepth 1 -type f -name '*.conf' -delete
  local t
  for t in "$TEMPLATE_DIR"/*.conf; do
    render_file "$t" "$d/etc/$(basename "$t")"
  done

  # Data dir: Debian's stock data through symlinks (resolved inside Asterisk's root), plus our
  # prompts and hold music.
  local share="$ASTERISK_SHARE_DIR" entry name en
  for name in agi-bin documentation firmware keys rest-api static-http; do
    if [ -e "$ASTERISK_ROOT$share/$name" ]; then ln -sfn "$share/$name" "$d/data/$name"; fi
  done
  if [ -d "$ASTERISK_ROOT$share/sounds" ]; then
    for entry in "$ASTERISK_ROOT$share"/sounds/*; do
      name="$(basename "$entry")"
      [ "$name" = "en" ] && continue
      ln -sfn "$share/sounds/$name" "$d/data/sounds/$name"
    done
  fi
  # sounds/en is a real folder: links to every stock English prompt, plus leadline/.
  en="$(resolve_in_root "$share/sounds/en")"
  if [ -d "$ASTERISK_ROOT$en" ]; then
    for entry in "$ASTERISK_ROOT$en"/*; do
      name="$(basename "$entry")"
      [ "$name" = "leadline" ] && continue
      ln -sfn "$en/$name" "$d/data/sounds/en/$name"
    done
  fi
  rm -f "$d/data/sounds/en/leadline/"* "$d/data/moh/"*
  cp -f "$TEMPLATE_DIR"/sounds/*.wav "$d/data/sounds/en/leadline/"
  if compgen -G "$TEMPLATE_DIR/sounds/moh/*" >/dev/null; then
    cp -f "$TEMPLATE_DIR"/sounds/moh/* "$d/data/moh/"
  fi

  # Asterisk reads its config and prompts but cannot change them; it writes only its run, log,
  # lib (astdb), spool (recordings) and cache folders. Nobody else reads any of it.
  chmod 750 "$d" "$d/etc" "$d/data"
  find "$d/etc" -maxdepth 1 -type f -exec chmod 640 {} +
  if [ "$(id -u)" -eq 0 ]; then
    chown "0:$AST_GID" "$d" "$d/etc" "$d/data"
    # Everything under data/ (prompts, hold music, links to the stock sounds) is Asterisk's to read,
    # whatever umask rendered it (systemd's UMask= is stricter than a shell's).
    chown -R -h "0:$AST_GID" "$d/data"
    chmod -R g+rX,o-rwx "$d/data"
    find "$d/etc" -maxdepth 1 -type f -exec chown "0:$AST_GID" {} +
    local w real
    for w in run log lib spool spool/recording; do
      # Symlinks (the bare-metal layout links log/ and spool/recording elsewhere) are owned there.
      real="$(realpath -m -- "$d/$w")"
      chown -R "$AST_UID:$AST_GID" "$real"
      chmod 750 "$real"
    done
    chown -R "$AST_UID:$AST_GID" "$ASTERISK_CACHE_DIR"
    chmod 750 "$ASTERISK_CACHE_DIR"
  fi
}

# ---------------------------------------------------------------------------------------------
# Process and ARI checks
# ---------------------------------------------------------------------------------------------
# Prints the pid of the Asterisk running for this scratch dir, or fails.
running_pid() {
  [ -s "$PID_FILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' < "$PID_FILE")"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Make sure the pid is really our Asterisk (not a recycled pid).
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$AST_CONF" || return 1
  echo "$pid"
}

# ari_status: prints the HTTP status of GET /ari/asterisk/info (000 when nothing answers).
# The credentials travel through the environment / stdin, never on a command line.
ari_status() {
  if command -v node >/dev/null 2>&1; then
    LEADLINE_CHECK_USER="$ARI_USERNAME" LEADLINE_CHECK_PASS="$ARI_PASSWORD" \
    LEADLINE_CHECK_HOST="$ARI_BIND" LEADLINE_CHECK_PORT="$ARI_PORT" node -e '
      const http = require("node:http");
      const e = process.env;
      const auth = Buffer.from(e.LEADLINE_CHECK_USER + ":" + e.LEADLINE_CHECK_PASS).toString("base64");
      const host = e.LEADLINE_CHECK_HOST === "0.0.0.0" ? "127.0.0.1" : (e.LEADLINE_CHECK_HOST === "::" ? "::1" : e.LEADLINE_CHECK_HOST);
      const req = http.get({ host, port: Number(e.LEADLINE_CHECK_PORT), path: "/ari/asterisk/info",
        headers: { authorization: "Basic " + auth }, timeout: 2000 }, (res) => {
        res.resume(); process.stdout.write(String(res.statusCode)); });
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => process.stdout.write("000"));
    ' 2>/dev/null || echo 000
  else
    local host="$ARI_BIND"
    [ "$host" = "0.0.0.0" ] && host=127.0.0.1
    local user="${ARI_USERNAME//\\/\\\\}" pass="${ARI_PASSWORD//\\/\\\\}"
    user="${user//\"/\\\"}"; pass="${pass//\"/\\\"}"
    printf 'user = "%s:%s"\n' "$user" "$pass" | curl -s -o /dev/null -w '%{http_code}' -m 2 -K - \
      "http://$host:$ARI_PORT/ari/asterisk/info" 2>/dev/null || true
  fi
}

# Fails (with a message) when the ARI TCP port or the SIP UDP port is already taken.
check_ports_free() {
  command -v node >/dev/null 2>&1 || return 0
  local out
  if ! out="$(LEADLINE_CHECK_ARI_BIND="$ARI_BIND" LEADLINE_CHECK_ARI_PORT="$ARI_PORT" \
      LEADLINE_CHECK_SIP_BIND="$SIP_BIND" LEADLINE_CHECK_SIP_PORT="$SIP_PORT" node -e '
      const net = require("node:net"), dgram = require("node:dgram");
      const e = process.env;
      const tcp = () => new Promise((ok, ko) => { const s = net.createServer();
        s.once("error", (x) => ko(new Error("ARI port " + e.LEADLINE_CHECK_ARI_BIND + ":" + e.LEADLINE_CHECK_ARI_PORT + "/tcp: " + x.code)));
        s.listen(Number(e.LEADLINE_CHECK_ARI_PORT), e.LEADLINE_CHECK_ARI_BIND, () => s.close(() => ok())); });
      const udp = () => new Promise((ok, ko) => {
        const s = dgram.createSocket(e.LEADLINE_CHECK_SIP_BIND.includes(":") ? "udp6" : "udp4");
        s.once("error", (x) => ko(new Error("SIP port " + e.LEADLINE_CHECK_SIP_BIND + ":" + e.LEADLINE_CHECK_SIP_PORT + "/udp: " + x.code)));
        s.bind(Number(e.LEADLINE_CHECK_SIP_PORT), e.LEADLINE_CHECK_SIP_BIND, () => s.close(() => ok())); });
      tcp().then(udp).then(() => process.exit(0), (x) => { process.stdout.write(x.message); process.exit(1); });
    ' 2>&1)"; then
    die "cannot start: $out (another process listens there; pick other ports or stop it)"
  fi
}

print_log_tail() {
  local f
  for f in "$LOG_DIR/startup.log" "$LOG_DIR/messages"; do
    if [ -s "$f" ]; then
      err "---- last lines of $f ----"
      tail -n 40 "$f" | LEADLINE_REDACT="${ARI_PASSWORD:-}" perl -pe \
        'BEGIN { $r = $ENV{LEADLINE_REDACT} } s/\Q$r\E/<redacted>/g if length $r' >&2 || true
    fi
  done
}

listen_line() {
  local pid="$1"
  say "Asterisk running (pid $pid, dir $LEADLINE_ASTERISK_DIR): ARI http://$ARI_BIND:$ARI_PORT/ari user '$ARI_USERNAME' app '$ARI_APP'; SIP udp $SIP_BIND:$SIP_PORT; RTP $RTP_START-$RTP_END; trunk $TRUNK_HOST:$TRUNK_PORT"
}

# wait_for_ari <pid>: 0 when ARI answers 200 within START_TIMEOUT; 1 otherwise (LAST_ARI_STATUS set).
wait_for_ari() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  LAST_ARI_STATUS=000
  while (( SECONDS < deadline )); do
    if ! kill -0 "$pid" 2>/dev/null; then
      LAST_ARI_STATUS="exited"
      return 1
    fi
    LAST_ARI_STATUS="$(ari_status)"
    [ "$LAST_ARI_STATUS" = "200" ] && return 0
    sleep 0.3
  done
  return 1
}

# wait_for_exit <pid> <seconds>
wait_for_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  ! kill -0 "$pid" 2>/dev/null
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------
ensure_asterisk_installed() {
  if [ -z "$ASTERISK_ROOT" ]; then
    command -v asterisk >/dev/null 2>&1 || die "LEADLINE_ASTERISK_ROOT=/ but no asterisk in PATH"
    return 0
  fi
  LEADLINE_ASTERISK_ROOT="$ASTERISK_ROOT" bash "$REPO_DIR/scripts/install-asterisk-root.sh" --check && return 0
  err "no Asterisk 22 root in $ASTERISK_ROOT yet; running scripts/install-asterisk-root.sh"
  if [ "$(id -u)" -ne 0 ]; then
    die "building Asterisk's root needs root: run 'sudo $REPO_DIR/scripts/install-system-deps.sh' once, then retry"
  fi
  LEADLINE_ASTERISK_ROOT="$ASTERISK_ROOT" bash "$REPO_DIR/scripts/install-asterisk-root.sh" || die "scripts/install-asterisk-root.sh failed"
}

# The folders Asterisk writes or reads that are bound into its root: the scratch folder, and the
# real places of its log and recording folders when they are links out of it (bare-metal layout).
bind_paths() {
  local d="$LEADLINE_ASTERISK_DIR" w real
  printf '%s\n' "$d"
  for w in log spool/recording; do
    real="$(realpath -m -- "$d/$w")"
    case "$real" in "$d" | "$d"/*) ;; *) printf '%s\n' "$real" ;; esac
  done
  case "$ASTERISK_CACHE_DIR" in "$d" | "$d"/*) ;; *) printf '%s\n' "$ASTERISK_CACHE_DIR" ;; esac
}

# launch_asterisk <asterisk args...>: runs /usr/sbin/asterisk as Asterisk's user with an empty
# environment (no secret of ours reaches it). With a root: in a private mount namespace (the
# mounts die with Asterisk), /proc and the bind paths mounted, chrooted, privileges dropped.
launch_asterisk() {
  if [ -z "$ASTERISK_ROOT" ]; then
    local user=()
    [ "$(id -u)" -eq 0 ] && user=(-U "$ASTERISK_USER" -G "$(id -gn "$ASTERISK_USER")")
    (cd "$LEADLINE_ASTERISK_DIR" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin asterisk "${user[@]}" "$@")
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "Asterisk runs in its own root and user, which needs root to set up (mount namespace, chroot): run as root, or run your own Asterisk 22 and point ARI_URL at it (docs/asterisk.md)"
  local binds=() b
  mapfile -t binds < <(bind_paths)
  for b in "${binds[@]}"; do mkdir -p "$ASTERISK_ROOT$b"; done
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin unshare --mount --propagation private -- /bin/bash -c '
    set -e
    root="$1" uid="$2" gid="$3" n="$4"
    shift 4
    mount -t proc proc "$root/proc"
    for ((i = 0; i < n; i++)); do
      mount --bind "$1" "$root$1"
      shift
    done
    exec chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/sbin/asterisk "$@"
  ' leadline-asterisk "$ASTERISK_ROOT" "$AST_UID" "$AST_GID" "${#binds[@]}" "${binds[@]}" "$@"
}

# cli_command <pid>: sets CLI_CMD to `asterisk -rx` against the running instance (entering its
# mount namespace and root when it has one); the CLI command goes after it.
cli_command() {
  if [ -z "$ASTERISK_ROOT" ]; then
    CLI_CMD=(asterisk -C "$AST_CONF" -rx)
  else
    CLI_CMD=(nsenter --target "$1" --mount --root --wd -- /usr/sbin/asterisk -C "$AST_CONF" -rx)
  fi
}

cmd_render() {
  ensure_password
  render
  say "rendered $LEADLINE_ASTERISK_DIR/etc (asterisk -C $AST_CONF)"
}

cmd_start() {
  ensure_asterisk_installed
  ensure_password

  local pid
  if pid="$(running_pid)"; then
    if wait_for_ari "$pid"; then
      say "already running for $LEADLINE_ASTERISK_DIR"
      listen_line "$pid"
      exit 0
    fi
    die "an Asterisk (pid $pid) already runs for $LEADLINE_ASTERISK_DIR but ARI on $ARI_BIND:$ARI_PORT does not answer 200 (got $LAST_ARI_STATUS); was it started with other settings? run '$0 stop' first"
  fi

  case "$ARI_BIND" in
    127.* | ::1 | localhost) ;;
    *) err "warning: ARI listens on $ARI_BIND over plain HTTP; firewall it or put TLS in front" ;;
  esac
  check_ports_free
  render
  rm -f "$PID_FILE" "$CTL_FILE"
  : > "$LOG_DIR/startup.log"

  local args=(-C "$AST_CONF" -n)
  if [ "$LEADLINE_ASTERISK_DEBUG" = "1" ]; then args+=(-vvv); else args+=(-q); fi
  # Asterisk daemonises itself. It must not inherit the ARI password (ENV() could read it) nor
  # our stdout/stderr (a caller reading them to EOF would wait for Asterisk to exit).
  launch_asterisk "${args[@]}" </dev/null >>"$LOG_DIR/startup.log" 2>&1 || {
      print_log_tail
      die "asterisk failed to start"
    }

  # The pid file appears once Asterisk has daemonised.
  local deadline=$((SECONDS + 10))
  until pid="$(running_pid)"; do
    if (( SECONDS >= deadline )); then
      print_log_tail
      # Do not leave a half-started instance behind (matched by its exact config path).
      local stray
      for stray in $(pgrep -x asterisk 2>/dev/null || true); do
        if tr '\0' ' ' < "/proc/$stray/cmdline" 2>/dev/null | grep -qF -- "$AST_CONF"; then
          kill -9 "$stray" 2>/dev/null || true
        fi
      done
      die "Asterisk did not come up (no live pid in $PID_FILE)"
    fi
    sleep 0.1
  done

  if ! wait_for_ari "$pid"; then
    print_log_tail
    if [ "$LAST_ARI_STATUS" = "exited" ]; then
      die "Asterisk exited during start-up"
    fi
    err "ARI did not answer 200 on $ARI_BIND:$ARI_PORT within ${START_TIMEOUT}s (last status: $LAST_ARI_STATUS); stopping it"
    stop_pid "$pid" >/dev/null 2>&1 || true
    exit 1
  fi
  listen_line "$pid"
}

stop_pid() {
  local pid="$1"
  cli_command "$pid"
  timeout 5 "${CLI_CMD[@]}" 'core stop now' </dev/null >/dev/null 2>&1 || true
  if ! wait_for_exit "$pid" 10; then
    err "Asterisk (pid $pid) did not stop within 10 s: SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 5 || die "could not kill Asterisk pid $pid"
  fi
  rm -f "$PID_FILE" "$CTL_FILE"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE" "$CTL_FILE" 2>/dev/null || true
    say "not running ($LEADLINE_ASTERISK_DIR)"
    exit 0
  fi
  stop_pid "$pid"
  say "stopped (pid $pid)"
}

cmd_cli() {
  [ -n "${1:-}" ] || usage
  local pid
  pid="$(running_pid)" || die "not running ($LEADLINE_ASTERISK_DIR)"
  cli_command "$pid"
  "${CLI_CMD[@]}" "$1" </dev/null
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid, dir $LEADLINE_ASTERISK_DIR)"
  else
    say "not running ($LEADLINE_ASTERISK_DIR)"
  fi
  exit 0
}

[ $# -ge 1 ] || usage
load_config
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  render) cmd_render ;;
  cli) cmd_cli "${2:-}" ;;
  *) usage ;;
esac
