#!/usr/bin/env bash
# TEST-ONLY stand-ins for the public base images the Dockerfiles start from, for machines that
# cannot pull from Docker Hub (this test machine, CI): never use them on a site (docs/deployment.md).
#
#   leadline-test/debian:bookworm-slim   debootstrap --variant=minbase bookworm + docker import
#   leadline-test/debian:sid-slim        the same from sid (the Asterisk image's base)
#   leadline-test/node:20-bookworm-slim  the bookworm stand-in + this machine's Node 20 (binary, npm,
#                                        headers) at /usr/local, where the official node image has it
#
# Made from Debian's archive (the mirror the host's apt uses) and the machine's own Node; cached in
# Docker's image store (a present image is never rebuilt; --rebuild forces it). The host's apt
# settings are copied in (the archive snapshot's expired Release files need them); nothing secret.
# Needs root and a running dockerd (tests/docker/dockerd.sh).
set -euo pipefail

DOCKER="${DOCKER:-/usr/bin/docker}"
PREFIX="[leadline:test-bases]"
say() { printf '%s %s\n' "$PREFIX" "$*"; }
die() { printf '%s %s\n' "$PREFIX" "$*" >&2; exit 1; }
# shellcheck source=scripts/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/debian-mirror.sh"

rebuild=0
[ "${1:-}" = --rebuild ] && rebuild=1
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap)"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing (scripts/install-system-deps.sh installs it)"

have() { [ "$rebuild" = 0 ] && "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# debian_image <suite> <tag>
debian_image() {
  local suite="$1" tag="$2" dir log started=$SECONDS
  have "$tag" && return 0
  dir="$(mktemp -d "/var/tmp/leadline-test-$suite.XXXXXX")"
  log="$dir.log"
  say "debootstrap $suite -> $tag (from $(debian_mirror))"
  debootstrap --variant=minbase "$suite" "$dir" "$(debian_mirror)" > "$log" 2>&1 || {
    tail -n 20 "$log" >&2
    rm -rf "$dir"
    die "debootstrap $suite failed"
  }
  cp -f /etc/apt/apt.conf.d/* "$dir/etc/apt/apt.conf.d/" 2>/dev/null || true
  rm -rf "${dir:?}"/var/cache/apt/archives/*.deb "${dir:?}"/var/lib/apt/lists/* "$log"
  tar -C "$dir" --numeric-owner -c . | "$DOCKER" import \
    --change 'CMD ["bash"]' --message "TEST-ONLY stand-in for debian:$suite-slim (tests/docker/base-images.sh)" - "$tag" >/dev/null
  rm -rf "$dir"
  say "$tag ready ($((SECONDS - started)) s)"
}

node_image() {
  local tag=leadline-test/node:20-bookworm-slim ctx node_root
  have "$tag" && return 0
  node_root="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ ! -d "$node_root/lib/node_modules/npm" ] || [ ! -f "$node_root/include/node/node.h" ]; then
    die "this machine's Node lacks npm or its headers under $node_root"
  fi
  ctx="$(mktemp -d)"
  cp -a "$(readlink -f "$(command -v node)")" "$ctx/node"
  cp -a "$node_root/lib/node_modules/npm" "$ctx/npm"
  cp -a "$node_root/include/node" "$ctx/include"
  cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM leadline-test/debian:bookworm-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY include /usr/local/include/node
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node --version && npm --version
CMD ["node"]
DOCKERFILE
  say "building $tag from this machine's Node $(node --version)"
  "$DOCKER" build --network host --label leadline.test-only=1 -q -t "$tag" "$ctx" >/dev/null
  rm -rf "$ctx"
  say "$tag ready"
}

exec 9>/var/lock/leadline-test-bases.lock
flock 9
# The two debootstraps mostly wait on the network: side by side.
debian_image bookworm leadline-test/debian:bookworm-slim &
bookworm=$!
debian_image sid leadline-test/debian:sid-slim &
sid=$!
wait "$bookworm" || die "the bookworm stand-in failed"
wait "$sid" || die "the sid stand-in failed"
node_image
