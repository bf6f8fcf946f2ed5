#!/usr/bin/env bash
# The layering check fails the configure on a deliberately wrong link and on a deliberately wrong
# #include (an engine reaching the store), and passes on the tree as it is.
# Usage: check.sh SOURCE_DIR WORK_DIR
set -uo pipefail
src=${1:?source dir}; work=${2:?work dir}
rm -rf "$work"; mkdir -p "$work"
configure() {  # configure only the libraries (no tests, benchmarks or fuzzers)
  cmake -S "$src" -B "$work/build-$1" -G Ninja -DPOLES_BUILD_TESTS=OFF -DPOLES_BUILD_BENCH=OFF "${@:2}" >"$work/$1.log" 2>&1
}
fail=0
expect_failure() {  # name, message expected in the log, cmake options…
  if configure "$1" "${@:3}"; then
    echo "FAIL: $1: the configure passed"; fail=1
  elif ! tr -s ' \n' ' ' <"$work/$1.log" | grep -qF "$2"; then
    echo "FAIL: $1: the configure failed without '$2':"; cat "$work/$1.log"; fail=1
  else
    echo "ok: $1: $(grep -m1 -A1 'layering:' "$work/$1.log" | tr -s ' \n' ' ')"
  fi
}
if configure good; then echo "ok: the tree follows its arrows"; else echo "FAIL: the tree itself"; cat "$work/good.log"; fail=1; fi
expect_failure link "poles_network links poles::store, but" -DPOLES_LAYERING_BAD_LINK=network:store
expect_failure link-http "poles_evaluate links poles::http, but" -DPOLES_LAYERING_BAD_LINK=evaluate:http
printf '// an engine reaching the store\n#include "store/store.h"\n' > "$work/engine_file.h"
expect_failure include 'includes "store/store.h" of library store, which no path of arrows from network reaches' -DPOLES_LAYERING_EXTRA_FILE="network:$work/engine_file.h"
exit $fail
