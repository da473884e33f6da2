#!/usr/bin/env bash
# The direction of dependencies, checked on the includes of every C++ source (ARCHITECTURE.md):
# engine/ sees no adapter, use case, CLI or simulator; its ports and model see only value types;
# app/ sees no adapter or CLI; adapters/ see no use case or CLI; the simulator sees the engine
# only; no backend is named outside adapters/backends/. Prints every breach and fails on any.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
breach() {  # breach <what> <dirs...> -- <forbidden include prefixes...>
  local what=$1; shift
  local dirs=() prefixes=()
  while [ "$1" != "--" ]; do dirs+=("$1"); shift; done
  shift
  prefixes=("$@")
  local pattern
  pattern="^[[:space:]]*#[[:space:]]*include[[:space:]]*\"($(IFS='|'; echo "${prefixes[*]}"))"
  local found
  found=$(grep -rnE --include='*.h' --include='*.cc' "$pattern" "${dirs[@]}" || true)
  if [ -n "$found" ]; then
    echo "layering: $what"
    echo "$found"
    status=1
  fi
}
breach "engine/ includes an outer layer" engine -- adapters/ app/ cli/ simulations/ tests/
breach "a port or model type includes more than value types" engine/ports engine/model -- \
  engine/graph/ engine/rollout/ engine/rules/ engine/scanners/ engine/scope/
breach "app/ includes an adapter or the CLI" app -- adapters/ cli/ tests/
breach "adapters/ include a use case or the CLI" adapters -- app/ cli/ simulations/ tests/
breach "simulations/ include an adapter, a use case or the CLI" simulations -- adapters/ app/ cli/ tests/
names=$(grep -rnE --include='*.h' --include='*.cc' '"(process|qemu|firecracker|lambda)"' engine app cli simulations || true)
if [ -n "$names" ]; then
  echo "layering: a backend is named outside adapters/backends/"
  echo "$names"
  status=1
fi
[ $status -eq 0 ] && echo "layering: every include points inward"
exit $status
