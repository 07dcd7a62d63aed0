#!/usr/bin/env bash
# Runs the built Leadline server on its bundled Asterisk (what `npm start` runs once scripts/start.sh
# has installed and built everything): starts Asterisk (scripts/asterisk.sh) and keeps the server
# running in the foreground.
#
# Asterisk outlives the server, so the calls it holds survive a server restart:
#   - the server crashing, killed (kill -9), or stopped on its own (kill -TERM <its pid>, e.g. after
#     `npm run build` to run the new build): logged and started again after a back-off (1 s, doubling
#     up to 30 s; back to 1 s after a run of a minute or more), Asterisk untouched. After
#     LEADLINE_SERVER_MAX_QUICK_FAILURES (5) failures in a row within 30 s of their start, or exit
#     code 2 (invalid settings: restarting will not fix it), this script gives up: it says why,
#     stops Asterisk and exits with the server's code.
#   - Ctrl-C (SIGINT) or SIGTERM to this script stops the server gracefully (it lets the rounds
#     already ringing end, SHUTDOWN_GRACE_SECONDS), then Asterisk.
#
# Environment: that of scripts/asterisk.sh (LEADLINE_DATA_DIR, ARI_*, AMI_PORT, SIP_*, RTP_* …) and
# of the server (docs/configuration.md).
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX="[leadline]"
say() { printf '%s %s\n' "$PREFIX" "$*"; }

export LEADLINE_DATA_DIR=${LEADLINE_DATA_DIR:-$PWD/data}
export ARI_BIND=${ARI_BIND:-127.0.0.1} ARI_PORT=${ARI_PORT:-8088}
export ARI_URL=${ARI_URL:-http://$ARI_BIND:$ARI_PORT}
# AMI on loopback, for the check-sync NOTIFY that re-provisions desk phones (docs/desk-phones.md).
export AMI_PORT=${AMI_PORT:-5038}
MAX_QUICK_FAILURES=${LEADLINE_SERVER_MAX_QUICK_FAILURES:-5}
[[ "$MAX_QUICK_FAILURES" =~ ^[1-9][0-9]*$ ]] || { say "LEADLINE_SERVER_MAX_QUICK_FAILURES must be a positive number" >&2; exit 2; }
QUICK_SECONDS=30

node_pid=""
stopping=0

# Stops the server (SIGTERM: it finishes what rings) and waits for it.
stop_server() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  node_pid=""
}

# On purpose (Ctrl-C, SIGTERM) or giving up: the server first, then Asterisk.
stop_all() {
  stop_server
  bash scripts/asterisk.sh stop || true
}

on_signal() {
  # npm passes Ctrl-C on as well: one stop is enough.
  (( stopping )) && return
  stopping=1
  say "$1: stopping the server, then Asterisk"
  stop_all
  trap - EXIT
  exit "$2"
}

bash scripts/asterisk.sh start
if [ -z "${ARI_PASSWORD:-}" ]; then
  ARI_PASSWORD=$(cat "${ARI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ari-password}")
  export ARI_PASSWORD
fi
if [ -z "${AMI_PASSWORD:-}" ]; then
  AMI_PASSWORD=$(cat "${AMI_PASSWORD_FILE:-$LEADLINE_DATA_DIR/ami-password}")
  export AMI_PASSWORD
fi
# Whatever ends this script (an error included) stops both; a signal does it in on_signal.
trap 'stop_all' EXIT
trap 'on_signal SIGINT 130' INT
trap 'on_signal SIGTERM 143' TERM

failures=0
while :; do
  started=$SECONDS
  # Its own session: Ctrl-C reaches this script only, which then stops the server once (a second
  # signal would cut the server's graceful stop short).
  setsid node dist/apps/server/src/main.js &
  node_pid=$!
  say "server started (pid $node_pid)"
  # wait returns early when a trapped signal arrives; on_signal then exits.
  code=0
  wait "$node_pid" || code=$?
  node_pid=""
  ran=$((SECONDS - started))
  if (( code == 2 )); then
    say "the server refused its settings (exit code 2; the reason is above): not restarting it; stopping Asterisk" >&2
    exit 2
  fi
  if (( ran < QUICK_SECONDS )); then failures=$((failures + 1)); else failures=1; fi
  if (( code > 128 )); then how="killed by signal $((code - 128))"; else how="exited with code $code"; fi
  if (( failures >= MAX_QUICK_FAILURES )); then
    say "the server $how after ${ran}s: $failures quick failure(s) in a row (within ${QUICK_SECONDS}s of a start): giving up; stopping Asterisk" >&2
    exit $(( code == 0 ? 1 : code ))
  fi
  delay=$(( 1 << (failures - 1) ))
  (( delay > 30 )) && delay=30
  say "the server $how after ${ran}s; Asterisk and its calls are untouched; starting the server again in ${delay}s" >&2
  # In the background, so a signal is handled at once rather than after the sleep.
  sleep "$delay" &
  wait $! || true
done
