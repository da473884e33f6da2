#!/usr/bin/env bash
# Formats ringfence's C++ sources with clang-format (.clang-format); --check only reports the files
# that are not formatted and fails if there are any. The example repositories under examples/ are
# test data and keep their own layout.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.cc' '*.h' ':!:examples/*')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "formatted: ${#files[@]} files"
else
  clang-format -i "${files[@]}"
fi
