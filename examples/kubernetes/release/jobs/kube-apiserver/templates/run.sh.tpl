#!/bin/sh
# kube-apiserver {{spec.name}}/{{spec.index}}: token auth, RBAC, serving certificate generated into the store.
set -e
mkdir -p "$VIGIL_STORE_DIR/pki"
exec kube-apiserver \
  --etcd-servers={{#each link("etcd").instances as m}}{{#if @first}}{{else}},{{/if}}http://{{m.address}}:{{link("etcd").p("etcd.client_port")}}{{/each}} \
  --bind-address={{spec.address}} --advertise-address={{spec.address}} --secure-port={{p("kube-apiserver.secure_port")}} \
  --cert-dir="$VIGIL_STORE_DIR/pki" \
  --service-cluster-ip-range={{p("kube-apiserver.service_cluster_ip_range")}} \
  --service-account-issuer=https://{{spec.address}}:{{p("kube-apiserver.secure_port")}} \
  --service-account-key-file="$VIGIL_JOB_DIR/config/sa.key" \
  --service-account-signing-key-file="$VIGIL_JOB_DIR/config/sa.key" \
  --token-auth-file="$VIGIL_JOB_DIR/config/tokens.csv" \
  --authorization-mode=RBAC \
  --allow-privileged=true \
  --disable-admission-plugins=ServiceAccount \
  --v=1
