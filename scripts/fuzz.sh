#!/usr/bin/env bash
# Builds the libFuzzer targets (in the sanitized tree, preset asan: clang, ASan+UBSan, coverage on
# every library) and runs each for SECONDS (default 20) on its seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
scripts/build.sh asan fuzzers  # the fuzz targets and the libraries they link
for target in build-asan/tests/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name="$(basename "$target")"
  corpus="$(mktemp -d)"
  mkdir -p build-asan/artifacts
  seeds="tests/fuzz/seeds/${name#fuzz_}"
  echo "== $name (${seconds}s)"
  "$target" -artifact_prefix="build-asan/artifacts/" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=0 "$corpus" $( [ -d "$seeds" ] && echo "$seeds" ) 2>&1 | tail -n 3
  rm -rf "$corpus"
done
