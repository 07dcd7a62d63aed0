#!/usr/bin/env bash
# Installs everything Leadline needs (Debian packages, npm packages) and builds it. Idempotent:
# npm ci runs only when package-lock.json changed since the last install; the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

stamp=node_modules/.leadline-lock.sha
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[leadline] installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "[leadline] building"
npm run --silent build
