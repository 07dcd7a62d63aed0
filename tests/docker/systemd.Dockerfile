# TEST-ONLY: a Debian 12 host with systemd as PID 1, for tests/docker/systemd.spec.ts: Node 20 at
# /usr/bin/node (as bare metal has it), the built Leadline of the server image at /opt/leadline, plus
# what a checkout has for the install (scripts/, asterisk-config/, deploy/). The Asterisk root is
# bound in from the host at run time (/opt/leadline/asterisk-root, built by install-system-deps.sh).
# Nothing that could touch the host is installed: no udev, no time or network daemons, no getty.
ARG SERVER_IMAGE
ARG NODE_IMAGE=leadline-test/node:20-bookworm-slim
FROM ${SERVER_IMAGE} AS app
FROM ${NODE_IMAGE}
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd systemd-sysv dbus passwd \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && systemctl mask getty.target console-getty.service systemd-logind.service systemd-udevd.service \
      systemd-timesyncd.service systemd-networkd.service systemd-resolved.service systemd-firstboot.service \
      dev-hugepages.mount sys-kernel-debug.mount sys-kernel-tracing.mount sys-fs-fuse-connections.mount \
 && ln -s /usr/local/bin/node /usr/bin/node
COPY --from=app /opt/leadline /opt/leadline
COPY scripts /opt/leadline/scripts
COPY asterisk-config /opt/leadline/asterisk-config
COPY deploy /opt/leadline/deploy
STOPSIGNAL SIGRTMIN+3
CMD ["/lib/systemd/systemd"]
