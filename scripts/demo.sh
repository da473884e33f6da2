#!/usr/bin/env bash
# The main job end to end on the bundled example: installs what is missing, builds, makes the
# example repository (examples/shop) with an AI-authored change, shows what it touches, gates it
# with the rule packs (rules/) read from the base revision, then canaries the bad version the
# change would ship onto process sessions under the gate's constraints and watches it revert.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default ringfence ringfence-workload  # only what the demo runs
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
build/ringfence check --repo "$repo" --base main --head ai/extend-session --format json -o "$repo.verdict.json" 2>/dev/null
echo
echo "(scope exit $rc: 0 determined, 3 indeterminate; check exit $gate: 0 allow, 1 deny, 2 approval"
echo " required, 3 indeterminate. Try --format sarif|junit|markdown|github|json.)"
echo
echo "== Had it shipped anyway: the canary is the second line of defence. shop 1.5 (the change's"
echo "   build) fails a quarter of its requests; the gate's constraints cap the canary at 1%."
echo "== ringfence rollout start examples/shop/rollout/plan.yaml --verdict verdict.json"
state="$repo.state"
rm -rf "$state"
build/ringfence rollout --state "$state" start examples/shop/rollout/plan.yaml --verdict "$repo.verdict.json"
rollout=$?
echo
echo "== ringfence audit verify"
build/ringfence audit verify --state "$state"
audit=$?
echo
echo "(rollout exit $rollout: 0 promoted, 1 rolled back, 2 waiting for a human, 6 escalated.)"
# The demo succeeds when both lines of defence did their job: the gate denies this AI change
# (it widens IAM to \"Action\": \"*\"), and the canary of its bad build is rolled back, verified,
# with an intact audit trail.
[ "$rc" -eq 0 ] && [ "$gate" -eq 1 ] && [ "$rollout" -eq 1 ] && [ "$audit" -eq 0 ]
