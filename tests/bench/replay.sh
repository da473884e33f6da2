#!/usr/bin/env bash
# Replays the whole scenario library REPEATS times (default 5) and prints the median wall time and
# simulated events per second (client arrivals, request batches, session launches and ends).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build.sh default >/dev/null
repeats="${1:-5}"
echo "$(nproc) cores; $(ls simulations/incidents/*.yaml | wc -l) scenarios"
for i in $(seq "$repeats"); do
  build/ringfence replay simulations/incidents --rules rules --timings 2>&1 >/dev/null | grep replayed
done | sort -t' ' -k5 -n | awk '{ lines[NR] = $0 } END { print "median of " NR ": " lines[int((NR + 1) / 2)] }'
