#!/usr/bin/env bash
# main.sh - build (release) and run the main job on the default platform:
# for now the client example, a 64 MiB copy through a cpu provider channel.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDMAE_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
build/release/examples/memcpy $((64 << 20))
