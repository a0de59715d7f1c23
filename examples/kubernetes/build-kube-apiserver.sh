#!/bin/sh
# Builds kube-apiserver and kwok from the Go module proxy into examples/kubernetes/bin/ (with KWOK's
# stages in bin/kwok-stages.yaml), for the kubernetes example release. k8s.io/kubernetes requires its
# staging modules at v0.0.0 with local replaces, which a dependent module cannot use; so every staging
# module is replaced by its published v0.MINOR.PATCH. Slow on two cores (minutes, GBs of modules);
# results are cached in bin/.
# Usage: examples/kubernetes/build-kube-apiserver.sh [KUBE_VERSION]   (default 1.34.4)
set -eu
KV=${1:-1.34.4}
SV=0.${KV#1.}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/bin
mkdir -p "$OUT"
command -v go >/dev/null || { echo "build-kube-apiserver: go is not installed" >&2; exit 1; }
if [ -x "$OUT/kube-apiserver" ] && "$OUT/kube-apiserver" --version 2>/dev/null | grep -q "v$KV"; then
  echo "kube-apiserver v$KV already built"
else
  W=${KBUILD_DIR:-/tmp/vigil-kbuild}
  mkdir -p "$W"
  (
    cd "$W"
    [ -f go.mod ] || printf 'module kbuild\ngo 1.26\n' > go.mod
    GOMOD=$(go mod download -json "k8s.io/kubernetes@v$KV" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
    for m in $(awk '$2=="v0.0.0"{print $1}' "$GOMOD" | grep '^k8s.io/'); do
      go mod edit -replace="$m=$m@v$SV"
    done
    go get "k8s.io/kubernetes/cmd/kube-apiserver@v$KV"
    CGO_ENABLED=0 go build -trimpath -p "${GO_BUILD_PARALLEL:-1}" \
      -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KV -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$KV" | cut -d. -f2)" \
      -o "$OUT/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
  )
fi
[ -x "$OUT/kwok" ] || GOBIN=$OUT go install sigs.k8s.io/kwok/cmd/kwok@v0.8.0
# KWOK needs stages; concatenate its embedded defaults (node init + lease heartbeat, pod lifecycle).
ST=$(go env GOMODCACHE)/sigs.k8s.io/kwok@v0.8.0/kustomize/stage
for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
  cat "$ST/$f"; printf '\n---\n'
done > "$OUT/kwok-stages.yaml"
"$OUT/kube-apiserver" --version
"$OUT/kwok" --version 2>/dev/null || true
