# syntax=docker/dockerfile:1
# Leadline server: API, socket.io and the web dashboard (static build in dist/dashboard).
# Build from the repository root:  docker build -f docker/server.Dockerfile -t leadline/server .
# Run it with docker/compose.yaml (docs/deployment.md); it needs the Asterisk image beside it.

# ---- build: full npm ci (dev dependencies: tsc, vite), build, then drop the dev dependencies ----
FROM node:20-bookworm-slim AS build
# Toolchain for native modules (better-sqlite3, argon2) when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# ---- runtime: dist/ + production node_modules, non-root ----
FROM node:20-bookworm-slim
# tar for scripts/backup.sh and restore.sh (run with docker-compose exec server ...).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tar \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 leadline \
 && useradd --uid 10001 --gid leadline --home-dir /var/lib/leadline --no-create-home --shell /usr/sbin/nologin leadline \
 && mkdir -p /var/lib/leadline/recordings /var/backups/leadline \
 && chown -R leadline:leadline /var/lib/leadline /var/backups/leadline
WORKDIR /opt/leadline
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/scripts/backup.sh /src/scripts/restore.sh /src/scripts/sqlite-tool.cjs ./scripts/
COPY docker/server-healthcheck.cjs ./docker/
ENV NODE_ENV=production \
    HOST=127.0.0.1 \
    PORT=3000 \
    LEADLINE_DATA_DIR=/var/lib/leadline
USER leadline
VOLUME ["/var/lib/leadline"]
EXPOSE 3000
# /api/health answers 200 when the database and the ARI link are up, 503 otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "/opt/leadline/docker/server-healthcheck.cjs"]
CMD ["node", "dist/apps/server/src/main.js"]
