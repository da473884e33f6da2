#!/usr/bin/env bash
# Generates a monorepo of FILES source files (default 100000), commits it, adds a one-file change
# ("one") and a 2,000-file change with renames ("big"), and prints ringfence's timings next to
# git's. The repository is cached in BENCH_DIR between runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
files="${1:-100000}"
dir="${BENCH_DIR:-/tmp/ringfence-bench-$files}"
scripts/build.sh default >/dev/null
if [ ! -d "$dir/.git" ]; then
  rm -rf "$dir"
  build/tests/bench_scope generate "$dir" "$files"
  git -C "$dir" init -q -b main
  git -C "$dir" -c user.name=bench -c user.email=bench@example.com add -A
  git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -q -m base
  # "big": 2,000 edited files, 200 of them also moved.
  i=0
  while IFS= read -r f; do
    echo "// edited by the benchmark" >> "$dir/$f"
    if [ $((i % 10)) -eq 0 ]; then mkdir -p "$dir/moved/$(dirname "$f")"; git -C "$dir" mv "$f" "moved/$f"; fi
    i=$((i + 1))
  done < <(git -C "$dir" ls-files | awk 'NR % 50 == 7 && n++ < 2000')
  git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -q -am big
  git -C "$dir" tag big
  # "pre" and "one": one edited file each (a comment: imports unchanged).
  for tag in pre one; do
    f=$(git -C "$dir" ls-files 'cpp/*' | sed -n "$([ $tag = pre ] && echo 1 || echo 2)p")
    echo "// one-line change ($tag)" >> "$dir/$f"
    git -C "$dir" -c user.name=bench -c user.email=bench@example.com commit -q -am "$tag"
    git -C "$dir" tag "$tag"
  done
fi
echo "repository: $dir ($(git -C "$dir" ls-files | wc -l) files), $(nproc) cores"
build/tests/bench_scope run "$PWD/build/ringfence" "$dir"
