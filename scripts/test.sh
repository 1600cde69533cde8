#!/usr/bin/env bash
# test.sh - build and run every test (unit, conformance, examples).
# Usage: scripts/test.sh [--sanitize=address|thread] [--compiler=gcc|clang] [ctest args...]
#   --sanitize=address  ASan+UBSan build     --sanitize=thread  TSan build
# Builds out of tree in build/<variant>; installs missing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize="" cc="gcc" extra=()
for arg in "$@"; do
	case "$arg" in
	--sanitize=*) sanitize="${arg#--sanitize=}" ;;
	--compiler=*) cc="${arg#--compiler=}" ;;
	*) extra+=("$arg") ;;
	esac
done
case "$sanitize" in ""|address|thread) ;; *) echo "test.sh: --sanitize takes address or thread" >&2; exit 2 ;; esac
case "$cc" in gcc|clang) ;; *) echo "test.sh: --compiler takes gcc or clang" >&2; exit 2 ;; esac

deps=()
[ "$cc" = clang ] && deps+=(clang)
scripts/deps.sh "${deps[@]}"

dir="build/${cc}${sanitize:+-$sanitize}"
cmake -S . -B "$dir" -DCMAKE_C_COMPILER="$cc" -DDMAE_WERROR=ON -DDMAE_SANITIZE="$sanitize" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null

run=()
# TSan needs a fixed address-space layout on kernels with high ASLR entropy.
[ "$sanitize" = thread ] && run=(setarch "$(uname -m)" -R)
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
cd "$dir"
"${run[@]}" ctest --output-on-failure -j2 "${extra[@]}"
