#!/usr/bin/env bash
# Installs Debian's Prometheus, promtool, node_exporter and VictoriaMetrics: real peers the query
# API, the host collector and the remote-write receiver are tested and benchmarked against.
# Idempotent; runs as root. The tests start these binaries themselves, on loopback with their own
# temp directories, and end them by PID.
#
# Nothing is stopped here, by name or otherwise: a `pkill prometheus` would also end a user's
# own Prometheus. Instead the packages' maintainer scripts are kept from starting their daemons
# at all, with a policy-rc.d that refuses every start (exit 101) for the length of the install.
set -euo pipefail
if [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ] && [ -x /usr/bin/prometheus-node-exporter ] && [ -x /usr/bin/victoria-metrics ]; then
  echo "prometheus, node_exporter and victoria-metrics already installed"
  exit 0
fi
policy=/usr/sbin/policy-rc.d
backup=""
if [ -e "$policy" ]; then
  backup="$(mktemp)"
  cp -p "$policy" "$backup"
fi
restore_policy() {
  if [ -n "$backup" ]; then mv -f "$backup" "$policy"; else rm -f "$policy"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# Written by vigil .ci/install-prometheus.sh while it installs; removed afterwards.\nexit 101\n' > "$policy"
chmod +x "$policy"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus prometheus-node-exporter victoria-metrics >/dev/null
/usr/bin/prometheus --version 2>&1 | head -1
