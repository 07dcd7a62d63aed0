#!/usr/bin/env bash
# Quick start: installs what is missing and builds, then runs the Leadline server on the bundled
# Asterisk on loopback, on the embedded defaults (SQLite in ./data): scripts/serve.sh. The server
# is started again when it dies (Asterisk and its calls stay up); Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-deps.sh
exec bash scripts/serve.sh
