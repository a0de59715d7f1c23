#!/usr/bin/env bash
# Installs Debian's Prometheus, promtool and node_exporter: real peers the query API and the host
# collector are compared against. Idempotent; runs as root. Services are not auto-started.
set -euo pipefail
if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] && [ -x /usr/bin/prometheus-node-exporter ]; then
  echo "prometheus and node_exporter already installed"
  exit 0
fi
# Debian's postinst would start the daemons on their default ports; forbid that while installing.
had_policy=0
[ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ "$had_policy" = 0 ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus prometheus-node-exporter >/dev/null
if [ "$had_policy" = 0 ]; then rm -f /usr/sbin/policy-rc.d; fi
# Make sure nothing was left running on the default ports.
pkill -x prometheus 2>/dev/null || true
pkill -f prometheus-node-exporter 2>/dev/null || true
/usr/bin/prometheus --version 2>&1 | head -1
