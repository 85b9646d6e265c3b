#!/usr/bin/env bash
# `make image`: build deploy/Containerfile with podman, from package registries only.
#
#   deploy/image/build.sh [IMAGE]            (default localhost/ragmesh:latest)
#
# BASE: RAGMESH_IMAGE_BASE if set (e.g. python:3.11-slim-bookworm where a registry is
# reachable), else the local Debian base, made once by deploy/image/debian-base.sh.
# The host's CA bundle is a build secret (pip behind a TLS-intercepting proxy trusts it); it
# is mounted for the pip steps only and never stored in the image.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE="${1:-localhost/ragmesh:latest}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/image/containers.conf}"
# Tagged by the base script's content: a changed package list makes a new base.
LOCAL_BASE="localhost/ragmesh-base:bookworm-$(sha256sum deploy/image/debian-base.sh | cut -c1-12)"
BASE="${RAGMESH_IMAGE_BASE:-$LOCAL_BASE}"
if [ "$BASE" = "$LOCAL_BASE" ] && ! podman image exists "$LOCAL_BASE"; then
  deploy/image/debian-base.sh "$LOCAL_BASE"
fi

CA_BUNDLE="${RAGMESH_BUILD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
secret=()
[ -s "$CA_BUNDLE" ] && secret=(--secret "id=ca_bundle,src=$CA_BUNDLE")
# The weights are pinned in one place, the Makefile's MINILM_WEIGHTS (`make setup` uses it).
MINILM_WEIGHTS="${MINILM_WEIGHTS:-$(sed -n 's/^MINILM_WEIGHTS := //p' Makefile)}"
weights=(--build-arg "MINILM_WEIGHTS=$MINILM_WEIGHTS")

start=$(date +%s)
podman build --layers --pull=never -f deploy/Containerfile -t "$IMAGE" \
  --build-arg "BASE=$BASE" "${weights[@]}" "${secret[@]}" .
echo "built $IMAGE in $(($(date +%s) - start)) s; $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"
