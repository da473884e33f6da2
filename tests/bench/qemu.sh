#!/usr/bin/env bash
# Cold boot vs warm starts (restore, template launch, park/unpark) on the qemu backend: medians of REPEATS (default 5) and ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build.sh default >/dev/null
[ -f build/guest/vmlinux ] || build/ringfence image build examples/guest -o build/guest --workload build/ringfence-workload-guest >/dev/null
build/tests/bench_qemu "$PWD/build/guest" "${BENCH_DIR:-/tmp/ringfence-bench-qemu}" "${1:-5}"
