#!/usr/bin/env bash
# The main job end to end on the bundled example: installs what is missing, builds, makes the
# example repository (examples/shop) with an AI-authored change, shows what it touches, and gates
# it with the rule packs (rules/) read from the base revision.
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
echo "== ringfence check --repo $repo --base main --head ai/extend-session"
build/ringfence check --repo "$repo" --base main --head ai/extend-session
gate=$?
echo
echo "(scope exit $rc: 0 determined, 3 indeterminate; check exit $gate: 0 allow, 1 deny, 2 approval"
echo " required, 3 indeterminate. Try --format sarif|junit|markdown|github|json.)"
# The demo succeeds when the gate did its job: this AI change widens IAM to \"Action\": \"*\" and
# must be denied.
[ "$rc" -eq 0 ] && [ "$gate" -eq 1 ]
