#!/usr/bin/env bash
# Orchestrator benchmarks on real processes: detection latency, rollback time for 100 sessions,
# and session launches per second next to posix_spawn of /bin/true. REPEATS (default 5) per figure.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build.sh default >/dev/null
echo "$(nproc) cores"
build/tests/bench_rollout "$PWD/build/ringfence-workload" "${BENCH_DIR:-/tmp/ringfence-bench-rollout}" "${1:-5}"
