#!/bin/sh
# etcd member {{spec.name}}/{{spec.index}} of deployment {{spec.deployment}}, rendered by the Vigil director.
# The data directory is on the persistent disk: a recreated VM finds it and rejoins as the same member.
set -e
DATA="$VIGIL_STORE_DIR/data"
mkdir -p "$DATA" && chmod 700 "$DATA"
exec etcd \
  --name {{spec.name}}-{{spec.index}} \
  --data-dir "$DATA" \
  --listen-client-urls http://{{spec.address}}:{{p("etcd.client_port")}} \
  --advertise-client-urls http://{{spec.address}}:{{p("etcd.client_port")}} \
  --listen-peer-urls http://{{spec.address}}:{{p("etcd.peer_port")}} \
  --initial-advertise-peer-urls http://{{spec.address}}:{{p("etcd.peer_port")}} \
  --initial-cluster {{#each link("etcd").instances as m}}{{#if @first}}{{else}},{{/if}}{{m.name}}-{{m.index}}=http://{{m.address}}:{{link("etcd").p("etcd.peer_port")}}{{/each}} \
  --initial-cluster-token {{p("etcd.cluster_token")}} \
  --initial-cluster-state new \
  --heartbeat-interval {{p("etcd.heartbeat_interval_ms")}} \
  --election-timeout {{p("etcd.election_timeout_ms")}} \
  --logger zap --log-outputs stderr --log-level {{p("etcd.log_level")}} \
  {{p("etcd.extra_args")}}
