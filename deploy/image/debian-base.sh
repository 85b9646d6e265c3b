#!/usr/bin/env bash
# The local base image for deploy/Containerfile: Debian bookworm made with mmdebstrap from
# this machine's own Debian sources (no image registry needed), then `podman import`-ed.
#
#   deploy/image/debian-base.sh [IMAGE]      (default localhost/ragmesh-base:bookworm)
#
# It carries what the Containerfile would otherwise apt-get on a public python base: Python
# 3.11 with venv, tini (PID 1: forwards SIGTERM, reaps children), CA certificates for calls
# out, Tesseract for MultiModalService and git for the indexer's Git sources. The apt sources it was made from are deleted, so
# the image carries nothing of the build host (and apt in it has nowhere to fetch from).
set -euo pipefail

IMAGE="${1:-localhost/ragmesh-base:bookworm}"
# Debian's sources as this machine has them (deb822); RAGMESH_BASE_SOURCES names another file.
SOURCES="${RAGMESH_BASE_SOURCES:-/etc/apt/sources.list.d/debian.sources}"
[ -f "$SOURCES" ] || SOURCES=/etc/apt/sources.list
PACKAGES=python3,python3-venv,ca-certificates,tini,tesseract-ocr,tesseract-ocr-eng,git

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mmdebstrap --variant=minbase --include="$PACKAGES" \
  --customize-hook='rm -f "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
  --customize-hook='rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/*' \
  bookworm "$work/base.tar" "$SOURCES"
podman import --change 'CMD ["/bin/bash"]' "$work/base.tar" "$IMAGE" >/dev/null
echo "$IMAGE"
