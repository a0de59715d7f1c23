#!/usr/bin/env bash
# Installs Debian's Alertmanager and amtool: the peer alert forwarding, routing (amtool config
# routes test), fingerprints and the API v2 (amtool alert/silence) are tested against.
# Idempotent; runs as root. policy-rc.d keeps postinst from starting the daemon.
set -euo pipefail
if [ -x /usr/bin/prometheus-alertmanager ] && [ -x /usr/bin/amtool ]; then
  echo "alertmanager already installed"
  exit 0
fi
had_policy=0
[ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ "$had_policy" = 0 ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus-alertmanager >/dev/null
if [ "$had_policy" = 0 ]; then rm -f /usr/sbin/policy-rc.d; fi
/usr/bin/prometheus-alertmanager --version 2>&1 | head -1
