# Redis 7 for the scale-out stack (docker/compose.scale.yaml), from Debian's archive (see
# docker/postgres.Dockerfile for why). Build from the repository root:
#   docker build --network host -f docker/redis.Dockerfile -t leadline/redis .
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
RUN groupadd --system --gid 10004 redis \
 && useradd --system --uid 10004 --gid redis --home-dir /var/lib/redis --shell /usr/sbin/nologin redis \
 && printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \
 && mkdir -p /data && chown redis:redis /data && chmod 700 /data
COPY docker/redis-entrypoint.sh /usr/local/bin/leadline-redis
USER redis
VOLUME ["/data"]
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=12 \
  CMD ["sh", "-c", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli -h 127.0.0.1 -p \"${REDIS_PORT:-6379}\" ping | grep -q PONG"]
ENTRYPOINT ["/usr/local/bin/leadline-redis"]
