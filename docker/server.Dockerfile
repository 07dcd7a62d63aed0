# Leadline server: API, socket.io and the web dashboard (static build in dist/dashboard).
# Build from the repository root (docs/deployment.md):
#   DOCKER_BUILDKIT=1 docker build --network host -f docker/server.Dockerfile -t leadline/server .
# Run it with docker/compose.yaml; it needs the Asterisk image beside it.
# Build arguments (all optional):
#   NODE_IMAGE   the base image [node:20-bookworm-slim]; a site that mirrors Docker Hub names its copy
#   NPM_NODEDIR  Node's headers for the native modules, when node-gyp cannot download them
# Build secret (optional): npm_ca, a CA bundle for a TLS-inspecting proxy between the build and the
# npm registry (--secret id=npm_ca,src=/etc/ssl/certs/ca-certificates.crt); read by npm ci only,
# it never lands in a layer.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: full npm ci (dev dependencies: tsc, vite) ----
FROM ${NODE_IMAGE} AS deps
ARG NPM_NODEDIR=
# Toolchain for native modules (better-sqlite3, argon2) when no prebuilt binary fits.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_ca \
    if [ -s /run/secrets/npm_ca ]; then export npm_config_cafile=/run/secrets/npm_ca NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    if [ -n "$NPM_NODEDIR" ]; then export npm_config_nodedir="$NPM_NODEDIR"; fi; \
    npm ci --no-audit --no-fund --loglevel=error

# ---- build: build, then drop the dev dependencies ----
FROM deps AS build
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# ---- runtime: dist/ + production node_modules, non-root ----
FROM ${NODE_IMAGE}
# tar for scripts/backup.sh and restore.sh (run with docker-compose exec server ...).
# The server's user is in Asterisk's group (10002): it reads (backups) and restores the recordings
# Asterisk writes into their shared volume. Asterisk is not in the server's group.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tar \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10002 leadline-asterisk \
 && groupadd --gid 10001 leadline \
 && useradd --uid 10001 --gid leadline --groups leadline-asterisk --home-dir /var/lib/leadline \
      --no-create-home --shell /usr/sbin/nologin leadline \
 && mkdir -p /var/lib/leadline/recordings /var/backups/leadline \
 && chown leadline:leadline /var/lib/leadline /var/backups/leadline \
 && chmod 750 /var/lib/leadline \
 && chown 10002:10002 /var/lib/leadline/recordings \
 && chmod 2770 /var/lib/leadline/recordings
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
