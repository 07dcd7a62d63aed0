# Leadline's Asterisk 22 (Debian's package from sid, as on bare metal: scripts/install-asterisk-root.sh),
# with asterisk-config/ and its prompts rendered at every start by scripts/asterisk-foreground.sh
# (the ARI password arrives at run time, never in the image; ari.conf gets only its hash).
# Runs as its own user, leadline-asterisk (10002), never the server's (leadline, 10001).
# Build from the repository root (docs/deployment.md):
#   docker build --network host -f docker/asterisk.Dockerfile -t leadline/asterisk .
# DEBIAN_IMAGE: the base; a site that mirrors Docker Hub's images names its copy here.
ARG DEBIAN_IMAGE=debian:sid-slim
FROM ${DEBIAN_IMAGE}
# policy-rc.d: the package must not start a system Asterisk during the build. The package's own
# /etc/asterisk is never read: Asterisk runs with -C on the rendered copy.
RUN printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      asterisk asterisk-modules asterisk-core-sounds-en \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /usr/sbin/policy-rc.d \
 && asterisk -V \
 && groupadd --gid 10002 leadline-asterisk \
 && useradd --uid 10002 --gid leadline-asterisk --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin --comment "Leadline's Asterisk" leadline-asterisk \
 && mkdir -p /var/lib/leadline/asterisk/spool/recording \
 && chown -R leadline-asterisk:leadline-asterisk /var/lib/leadline \
 && chmod 750 /var/lib/leadline/asterisk \
 && chmod 2770 /var/lib/leadline/asterisk/spool/recording
WORKDIR /opt/leadline
COPY scripts/asterisk.sh scripts/asterisk-foreground.sh docker/asterisk-volumes.sh scripts/
COPY asterisk-config asterisk-config
# LEADLINE_ASTERISK_ROOT=/: this image is itself Asterisk's isolated root.
ENV LEADLINE_ASTERISK_ROOT=/ \
    LEADLINE_DATA_DIR=/var/lib/leadline \
    LEADLINE_ASTERISK_DIR=/var/lib/leadline/asterisk \
    ARI_BIND=127.0.0.1 \
    SIP_BIND=0.0.0.0
USER leadline-asterisk
# astdb (desk phones' registrations), logs, and spool/recording (the call recordings, a volume of its own in
# compose, group-writable: the server's user is in the group, for backups and restores).
VOLUME ["/var/lib/leadline/asterisk"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["asterisk", "-C", "/var/lib/leadline/asterisk/etc/asterisk.conf", "-rx", "core show uptime"]
ENTRYPOINT ["/opt/leadline/scripts/asterisk-foreground.sh"]
