#!/bin/sh
# Builds kube-apiserver (and kwok) from the Go module proxy into examples/kubernetes/bin/, for the
# kubernetes example release. k8s.io/kubernetes requires its staging modules at v0.0.0 with local
# replaces, which a dependent module cannot use; so every staging module is replaced by its published
# v0.MINOR.PATCH. Slow on two cores (minutes, GBs of modules); the result is cached in bin/.
# Usage: examples/kubernetes/build-kube-apiserver.sh [KUBE_VERSION]   (default 1.34.4)
set -eu
KV=${1:-1.34.4}
SV=0.${KV#1.}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/bin
mkdir -p "$OUT"
if [ -x "$OUT/kube-apiserver" ] && "$OUT/kube-apiserver" --version 2>/dev/null | grep -q "v$KV"; then
  echo "kube-apiserver v$KV already built"; exit 0
fi
command -v go >/dev/null || { echo "build-kube-apiserver: go is not installed" >&2; exit 1; }
W=${KBUILD_DIR:-/tmp/vigil-kbuild}
mkdir -p "$W" && cd "$W"
[ -f go.mod ] || printf 'module kbuild\ngo 1.26\n' > go.mod
GOMOD=$(go mod download -json "k8s.io/kubernetes@v$KV" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
for m in $(awk '$2=="v0.0.0"{print $1}' "$GOMOD" | grep '^k8s.io/'); do
  go mod edit -replace="$m=$m@v$SV"
done
go get "k8s.io/kubernetes/cmd/kube-apiserver@v$KV"
CGO_ENABLED=0 go build -trimpath -p "${GO_BUILD_PARALLEL:-1}" \
  -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=v$KV -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$KV" | cut -d. -f2)" \
  -o "$OUT/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
GOBIN=$OUT go install sigs.k8s.io/kwok/cmd/kwok@v0.8.0
"$OUT/kube-apiserver" --version
