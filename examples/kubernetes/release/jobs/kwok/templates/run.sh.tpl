#!/bin/sh
# Waits for the API, registers the fake nodes (annotated for KWOK), then runs KWOK with the stages that
# the build script put next to the kwok binary.
set -e
API=https://{{link("k8s-api").address}}:{{link("k8s-api").p("kube-apiserver.secure_port")}}
AUTH="Authorization: Bearer {{link("k8s-api").p("kube-apiserver.admin_token")}}"
until curl -ksf -H "$AUTH" "$API/readyz" >/dev/null; do sleep 1; done
i=0
while [ "$i" -lt {{p("kwok.nodes")}} ]; do
  curl -ks -H "$AUTH" -H 'Content-Type: application/json' -X POST "$API/api/v1/nodes" \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"kwok-node-$i\",\"annotations\":{\"kwok.x-k8s.io/node\":\"fake\"},\"labels\":{\"type\":\"kwok\"}}}" >/dev/null
  i=$((i + 1))
done
STAGES="$(dirname "$(readlink -f "$(command -v kwok)")")/kwok-stages.yaml"
exec kwok --kubeconfig="$VIGIL_JOB_DIR/config/kubeconfig" --config="$STAGES" \
  --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --manage-nodes-with-label-selector= --manage-single-node= \
  --cidr=10.0.0.0/24 --node-ip={{spec.address}} --node-lease-duration-seconds=40
