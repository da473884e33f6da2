#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest.
# RINGFENCE_PRESET=asan runs it under AddressSanitizer and UBSan instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
preset="${RINGFENCE_PRESET:-default}"
scripts/build.sh "$preset"
ctest --preset "$preset"
