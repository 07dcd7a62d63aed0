# PostgreSQL 15 for the scale-out stack (docker/compose.scale.yaml), from Debian's archive: a site
# that can reach Debian's archive (or its own mirror of it) builds every image Leadline needs
# without Docker Hub's postgres image (docs/deployment.md, "Why PostgreSQL and Redis from Debian").
# Build from the repository root:
#   docker build --network host -f docker/postgres.Dockerfile -t leadline/postgres .
ARG DEBIAN_IMAGE=debian:bookworm-slim
FROM ${DEBIAN_IMAGE}
# A fixed uid for the data volume; the package then keeps it. No cluster from the package: the
# entrypoint makes one in the volume on first start.
RUN groupadd --system --gid 10003 postgres \
 && useradd --system --uid 10003 --gid postgres --home-dir /var/lib/postgresql --shell /bin/sh postgres \
 && mkdir -p /etc/postgresql-common/createcluster.d \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/no-main.conf \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql-15 \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /run/postgresql \
 && chown postgres:postgres /var/lib/postgresql/data /run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY docker/postgres-entrypoint.sh /usr/local/bin/leadline-postgres
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
USER postgres
VOLUME ["/var/lib/postgresql/data"]
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=12 \
  CMD ["sh", "-c", "pg_isready -h 127.0.0.1 -p \"${POSTGRES_PORT:-5432}\" -U \"${POSTGRES_USER:-leadline}\""]
ENTRYPOINT ["/usr/local/bin/leadline-postgres"]
