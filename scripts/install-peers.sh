#!/usr/bin/env bash
# Installs, from Debian's packages, the real programs the integration tests talk to
# (../shared/PEERS.md). Skips apt-get when all of them are already there.
set -euo pipefail
packages=(docker-registry apache2-utils skopeo umoci oci-image-tool jq busybox-static
  docker.io podman runc crun conmon fuse-overlayfs uidmap slirp4netns catatonit socat pigz time openssl
  bzip2 xz-utils buildah golang-github-containers-common strace python3 npm)
programs=(docker-registry htpasswd skopeo umoci oci-image-tool jq busybox dockerd podman runc crun socat pigz openssl
  bzip2 xz buildah strace python3 npm)
missing=0
for p in "${programs[@]}"; do command -v "$p" >/dev/null 2>&1 || missing=1; done
[ -x /usr/bin/time ] || missing=1
# The seccomp profile run applies (docs/run.md), which podman's dependencies usually bring.
[ -f /usr/share/containers/seccomp.json ] || missing=1
if [ "$missing" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: missing peers; run as root: apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# A rootless run mounts the cached layers with fuse-overlayfs, which opens /dev/fuse itself:
# Debian's udev rule makes it 0666, a machine without udev may have left it 0600.
if [ -c /dev/fuse ] && [ "$(stat -c %a /dev/fuse)" != 666 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: /dev/fuse is not 0666 as Debian's udev makes it; as root: chmod 0666 /dev/fuse" >&2
    exit 1
  fi
  chmod 0666 /dev/fuse
fi

# Native AOT (scripts/pack-tool.sh): clang links this host's executable and, with lld and the
# other architecture's C runtime from Debian's multiarch, the other Linux architecture's;
# qemu-user runs that one, and its libssl (sha256) there, in scripts/check-shipped.sh.
case "$(uname -m)" in
  x86_64) foreign=arm64 ;;
  aarch64) foreign=amd64 ;;
  *) foreign="" ;;
esac
if [ -n "$foreign" ] && ! { command -v clang && command -v ld.lld && command -v llvm-objcopy \
    && command -v qemu-aarch64 && command -v qemu-x86_64 \
    && dpkg -s "libc6-dev:$foreign" "libgcc-12-dev:$foreign" "libssl3:$foreign"; } >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: missing the Native AOT cross toolchain; as root: dpkg --add-architecture $foreign && apt-get update && apt-get install -y clang lld llvm qemu-user libc6-dev:$foreign libgcc-12-dev:$foreign libssl3:$foreign" >&2
    exit 1
  fi
  dpkg --add-architecture "$foreign"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang lld llvm qemu-user \
    "libc6-dev:$foreign" "libgcc-12-dev:$foreign" "libssl3:$foreign" >/dev/null
fi

# The plain-HTTP fallback tests reach the loopback registry by this machine's host name, which
# must therefore resolve to 127.0.0.1 (Debian's default /etc/hosts maps it to 127.0.1.1 only).
host=$(hostname)
if ! getent ahostsv4 "$host" 2>/dev/null | grep -q '^127\.0\.0\.1[[:space:]]'; then
  if [ "$(id -u)" != 0 ]; then
    echo "install-peers: the host name $host does not resolve to 127.0.0.1; as root: echo '127.0.0.1 $host' >> /etc/hosts" >&2
    exit 1
  fi
  echo "127.0.0.1 $host" >> /etc/hosts
fi
