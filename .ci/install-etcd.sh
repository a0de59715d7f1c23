#!/bin/sh
# Installs Debian's etcd-server and etcd-client for the lifecycle e2e tests (examples/etcd).
# Idempotent: does nothing when etcd and etcdctl are already on PATH. Runs as root on a fresh machine.
# A policy-rc.d that answers 101 keeps the package's postinst from starting a system etcd on :2379.
set -eu
if command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1; then
  echo "install-etcd: $(etcd --version 2>/dev/null | head -1) already installed"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-etcd: must run as root (apt-get install etcd-server etcd-client)" >&2
  exit 1
fi
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends etcd-server etcd-client
etcd --version | head -1
