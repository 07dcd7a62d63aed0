#!/usr/bin/env bash
# Developer tool: writes a migration for the difference between the entities and the schema the
# existing migrations build, then lists it in migration-list.ts by hand (see docs/architecture.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp && rm -f .tmp/migrations.db
export MIKRO_ORM_CLI_USE_TS_NODE=true MIKRO_ORM_CLI_TS_CONFIG_PATH=tsconfig.json TS_NODE_TRANSPILE_ONLY=true
cfg=apps/server/src/database/mikro-orm.cli-config.ts
npx mikro-orm migration:up --config "$cfg"
npx mikro-orm migration:create --config "$cfg" ${1:+--name "$1"}
