#!/usr/bin/env bash
# deps.sh - install the Debian packages the build needs, only those missing.
# Usage: scripts/deps.sh [extra-package ...]
set -euo pipefail

want=(cmake make gcc pkg-config libcmocka-dev libisal-dev libfdt-dev device-tree-compiler python3 "$@")
missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
