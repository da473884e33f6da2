#!/usr/bin/env bash
# The main job end to end on the bundled example: installs what is missing, builds, makes the
# example repository (examples/shop) with an AI-authored change, and shows what it touches.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default
repo="${RINGFENCE_DEMO_DIR:-/tmp/ringfence-demo-shop}"
examples/make-example-repo.sh "$repo" >/dev/null
echo "== ringfence scope --repo $repo --base main --head ai/extend-session"
set +e
build/ringfence scope --repo "$repo" --base main --head ai/extend-session
rc=$?
echo
echo "== ringfence explain ... component:web"
build/ringfence explain --repo "$repo" --base main --head ai/extend-session component:web
echo
echo "(scope exit code $rc: 0 determined, 3 indeterminate; JSON: --format json, graph: --format dot)"
exit $rc
