#!/usr/bin/env bash
# The main job end to end on the bundled example: installs what is missing, builds, makes the
# example repository (examples/shop) with an AI-authored change, shows what it touches, gates it
# with the rule packs (rules/) read from the base revision; then builds the service's images
# reproducibly with their SBOMs, signs and scans them, commits the image policy, shows an unsigned
# hotfix refused at admission, and canaries the bad version the change would ship onto process
# sessions under the gate's constraints (admitted, signed and scanned) and watches it revert; reads
# the fleet's drift report, and revokes the bad build so that it never starts again.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh default ringfence ringfence-workload ringfence-workload-guest  # only what the demo runs
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
echo "== Had it shipped anyway: images first. Built reproducibly from Debian packages, with an SBOM,"
echo "   signed by the release key, scanned against a pinned vulnerability database."
images="$repo.images"
rm -rf "$images" "$repo.release.pem"
mkdir -p "$images"
export SOURCE_DATE_EPOCH="$(git -C "$repo" log -1 --format=%ct main)"
set -e
for v in 1.4 1.5 1.6; do
  build/ringfence image build examples/shop/rollout/recipes/shop-$v -o "$images/shop-$v"
done
echo "== ringfence image keygen; ringfence image sign (1.4 and 1.5; the 1.6 hotfix skipped the pipeline)"
mkdir -p "$repo/.ringfence/keys" "$repo/.ringfence/vex"
build/ringfence image keygen --private "$repo.release.pem" --public "$repo/.ringfence/keys/release.pub"
for v in 1.4 1.5; do
  build/ringfence image sign "$images/shop-$v" --key "$repo.release.pem" --source-repo "file://$repo" \
    --source-commit "$(git -C "$repo" rev-parse main)"
done
db="$PWD/examples/vulnerabilities/osv"
digest="$(build/ringfence image database "$db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["digest"])')"
# The platform team's statement on zlib's minizip CVE, reviewed for 90 days.
python3 - "$PWD/examples/vulnerabilities/zlib-minizip.openvex.json" "$images/zlib-minizip.openvex.json" <<'PY'
import datetime, json, sys
doc = json.load(open(sys.argv[1]))
doc["statements"][0]["expires"] = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
json.dump(doc, open(sys.argv[2], "w"), indent=2)
PY
cp "$images/zlib-minizip.openvex.json" "$repo/.ringfence/vex/"
cat > "$repo/.ringfence/images.yaml" <<POLICY
apiVersion: ringfence/v1
kind: ImagePolicy
signers: [{name: release, key: .ringfence/keys/release.pub}]
provenance: {builders: ["urn:ringfence:builder:local"]}
scan:
  # The bundled database is a fixture of published Debian advisories, not a live feed: a real one
  # is refreshed daily and allowed a day or two.
  database: {path: $db, digest: "$digest", max_age: 3650d}
  fail_on: high
  vex: [.ringfence/vex/zlib-minizip.openvex.json]
max_age: 30d
egress: []
POLICY
git -C "$repo" checkout -q main
git -C "$repo" add .ringfence
git -C "$repo" -c user.name="Platform Team" -c user.email=platform@shop.example commit -qm "platform: image policy and release key"
git -C "$repo" checkout -q ai/extend-session
set +e
echo "== ringfence image scan shop-1.5 (every finding reported; VEX takes zlib's out of the gate)"
build/ringfence image scan "$images/shop-1.5" --db "$db" --db-digest "$digest" --vex "$images/zlib-minizip.openvex.json"
scan=$?
sed -e "s|images/shop-1.4|$images/shop-1.4|; s|images/shop-1.5|$images/shop-1.5|" examples/shop/rollout/plan.yaml > "$images/plan.yaml"
sed -e "s|images/shop-1.4|$images/shop-1.4|; s|images/shop-1.5|$images/shop-1.6|" examples/shop/rollout/plan.yaml > "$images/plan-hotfix.yaml"
state="$repo.state"
rm -rf "$state"
echo
echo "== An unsigned hotfix is refused before any session starts (policy: main:.ringfence/images.yaml)"
echo "== ringfence rollout start plan-hotfix.yaml --policy-repo $repo --policy-rev main"
build/ringfence rollout --state "$state" start "$images/plan-hotfix.yaml" --policy-repo "$repo" --policy-rev main
refused=$?
echo
echo "== The canary is the second line of defence. shop 1.5 (the change's build) is signed and"
echo "   admitted, but fails a quarter of its requests; the gate's constraints cap it at 1%."
echo "== ringfence rollout start plan.yaml --verdict verdict.json --policy-repo $repo --policy-rev main"
build/ringfence rollout --state "$state" start "$images/plan.yaml" --verdict "$repo.verdict.json" \
  --policy-repo "$repo" --policy-rev main
rollout=$?
echo
echo "== ringfence audit verify"
build/ringfence audit verify --state "$state"
audit=$?
echo
echo "== ringfence fleet status; ringfence fleet drift (every session the backends hold, against what"
echo "   the journal says the service runs; exit 10 when drift exceeds the policy)"
build/ringfence fleet --state "$state" status
build/ringfence fleet --state "$state" drift
drift=$?
echo
echo "== ringfence image revoke: the bad build may never start again, whatever a later plan says"
bad="$(build/ringfence rollout --state "$state" status --format json | python3 -c '
import json, sys
print(next(r["rollout"] for r in json.load(sys.stdin) if r["state"] == "rolled_back"))')"
bad_digest="$(build/ringfence rollout --state "$state" status "$bad" --format json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["evidence"]["candidate"]["digest"])')"
build/ringfence image revoke "$bad_digest" --reason "fails a quarter of its requests" --by demo@shop.example \
  --state "$state"
revoked=$?
build/ringfence rollout --state "$state" start "$images/plan.yaml" --policy-repo "$repo" --policy-rev main
again=$?
build/ringfence audit verify --state "$state" >/dev/null
audit_after=$?
echo
echo "(image scan exit $scan: 0 within policy; hotfix exit $refused: 9 not admitted; rollout exit $rollout:"
echo " 0 promoted, 1 rolled back, 2 waiting for a human, 6 escalated; drift exit $drift: 0 none;"
echo " revoke exit $revoked; the revoked build started again: exit $again, 9 not admitted.)"
# The demo succeeds when every line of defence did its job: the gate denies this AI change
# (it widens IAM to \"Action\": \"*\"), the unsigned hotfix is not admitted, the signed images
# scan within policy, and the canary of the bad build is rolled back, verified, with an intact
# audit trail; the fleet has not drifted, and the revoked build is refused from then on.
[ "$rc" -eq 0 ] && [ "$gate" -eq 1 ] && [ "$scan" -eq 0 ] && [ "$refused" -eq 9 ] && [ "$rollout" -eq 1 ] &&
  [ "$audit" -eq 0 ] && [ "$drift" -eq 0 ] && [ "$revoked" -eq 0 ] && [ "$again" -eq 9 ] && [ "$audit_after" -eq 0 ]
