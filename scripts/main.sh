#!/usr/bin/env bash
# main.sh - build (release) and run the main job on the default platform:
# dmatest, the kernel's DMA engine test, 1000 tests per thread on every channel
# of the cpu provider (memcpy, XOR and P+Q threads). Extra arguments go to
# dmatest as its parameters (see docs/dmatest.md). Exit status: dmatest's.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDMAE_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc)" >/dev/null
exec build/release/tools/dmatest/dmatest "$@"
