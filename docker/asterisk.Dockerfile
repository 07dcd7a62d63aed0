# syntax=docker/dockerfile:1
# Leadline's Asterisk: Debian bookworm + Asterisk 16.28 from bullseye, pinned exactly as on bare
# metal (scripts/pin-asterisk-bullseye.sh), with asterisk-config/ and its prompts rendered at start
# by scripts/asterisk-foreground.sh (the ARI password arrives at run time, never in the image).
# Build from the repository root:  docker build -f docker/asterisk.Dockerfile -t leadline/asterisk .
FROM debian:bookworm-slim
COPY scripts/pin-asterisk-bullseye.sh /tmp/pin-asterisk-bullseye.sh
# policy-rc.d: the package must not start a system Asterisk during the build.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && bash /tmp/pin-asterisk-bullseye.sh \
 && apt-get update \
 && apt-get install -y --no-install-recommends asterisk perl-base \
 && rm -rf /var/lib/apt/lists/* /tmp/pin-asterisk-bullseye.sh /usr/sbin/policy-rc.d \
 && groupadd --gid 10001 leadline \
 && useradd --uid 10001 --gid leadline --home-dir /var/lib/leadline --no-create-home --shell /usr/sbin/nologin leadline \
 && mkdir -p /var/lib/leadline/asterisk/spool/recording \
 && chown -R leadline:leadline /var/lib/leadline
WORKDIR /opt/leadline
COPY scripts/asterisk.sh scripts/asterisk-foreground.sh ./scripts/
COPY asterisk-config ./asterisk-config
# The Debian package's own /etc/asterisk is never read: Asterisk runs with -C on the rendered copy.
ENV LEADLINE_DATA_DIR=/var/lib/leadline \
    LEADLINE_ASTERISK_DIR=/var/lib/leadline/asterisk \
    ARI_BIND=127.0.0.1 \
    SIP_BIND=0.0.0.0
USER leadline
# astdb (desk phones), logs, and spool/recording (the call recordings, a volume of its own in compose).
VOLUME ["/var/lib/leadline/asterisk"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["asterisk", "-C", "/var/lib/leadline/asterisk/etc/asterisk.conf", "-rx", "core show uptime"]
ENTRYPOINT ["/opt/leadline/scripts/asterisk-foreground.sh"]
