#!/usr/bin/env bash
# Installs what is missing (the validators that check reports as their consumers do, too), builds,
# and runs the whole test suite with ctest; a validator that is missing then fails its test.
# RINGFENCE_PRESET=asan runs it under AddressSanitizer and UBSan instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/install-validators.sh
export RINGFENCE_REQUIRE_VALIDATORS=1
preset="${RINGFENCE_PRESET:-default}"
scripts/build.sh "$preset"
# RINGFENCE_CTEST_ARGS: more ctest arguments (e.g. "-LE qemu"), split on spaces.
# shellcheck disable=SC2086
ctest --preset "$preset" ${RINGFENCE_CTEST_ARGS:-}
