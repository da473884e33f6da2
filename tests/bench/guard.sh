#!/usr/bin/env bash
# How long a guard decision takes, as an agent's hook pays it: `ringfence guard check` on a shell
# line, and `guard plan terraform` on a generated 1,000-resource plan (the documented JSON: half
# deleted, a quarter replaced), each the median of RUNS whole processes (default 30), next to the
# floor of starting a process at all (/bin/true) and of starting ringfence, and to python's
# json module, loading the same plan; `guard exec` next to the bare command and a small `guard run`;
# then the decisions' own cost in process (bench_guard).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-30}"
scripts/build.sh default ringfence bench_guard >/dev/null
rf="$PWD/build/ringfence"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir/plan.json" <<'PY'
import json, sys
changes = []
for i in range(1000):
    actions = [["delete"], ["delete", "create"], ["update"], ["no-op"]][i % 4]
    changes.append({"address": f"aws_instance.web[{i}]", "mode": "managed", "type": "aws_instance",
                    "name": "web", "index": i, "provider_name": "registry.terraform.io/hashicorp/aws",
                    "change": {"actions": actions, "before": {"id": f"i-{i:08x}", "instance_type": "m5.large"},
                               "after": None if actions == ["delete"] else {"instance_type": "m5.xlarge"}}})
json.dump({"format_version": "1.2", "terraform_version": "1.11.4", "resource_changes": changes}, open(sys.argv[1], "w"))
PY
cp examples/guard/environments.yaml "$dir/environments.yaml"
median_ms() {  # median_ms COMMAND...: the median wall time of RUNS runs, in ms with 2 decimals
  local t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    t+=($((e - s)))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)] / 1e6}'
}
floor=$(median_ms /bin/true)
start=$(median_ms "$rf" --version)
cmd=$(median_ms "$rf" guard check --environments "$dir/environments.yaml" \
  --shell "ssh db1.prod.shop.example 'sudo -u postgres psql -c \"DELETE FROM sessions WHERE expires < now()\"' && kubectl --context prod-eu delete pod web-1 web-2")
plan=$(median_ms "$rf" guard plan terraform "$dir/plan.json" --environments "$dir/environments.yaml" --cloud-profile prod)
pyjson=$(median_ms /usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$dir/plan.json")
# guard exec: judged, journaled and audited (two records, fsynced), then run; next to running it bare.
bare=$(median_ms /bin/true)
execd=$(median_ms "$rf" guard exec --state "$dir/state" --environments "$dir/environments.yaml" -- true)
# guard run: 20 targets in 3 waves, a command and a command check per target, no bake.
{
  echo "apiVersion: ringfence/v1"; echo "kind: StagedAction"; echo "name: bench"; echo 'command: ["true", "{id}"]'
  echo "targets: [$(seq -s, 1 20)]"; echo "waves: [1, 25%, 100%]"; echo 'check: {command: ["true", "{id}"]}'
} >"$dir/staged.yaml"
staged=$(median_ms "$rf" guard run --state "$dir/state" --environments "$dir/environments.yaml" "$dir/staged.yaml")
ratio() { /usr/bin/python3 -c "print(round($1 / max($2, 0.01), 1))"; }
echo "median over $runs runs: process start $floor ms, ringfence --version $start ms"
echo "  guard check (a shell line of 3 actions): $cmd ms ($(ratio "$cmd" "$start")x ringfence --version)"
echo "  guard plan terraform (1000 resources): $plan ms ($(ratio "$plan" "$pyjson")x python3 loading the same JSON, $pyjson ms)"
echo "  guard exec -- true: $execd ms (running true bare: $bare ms; the rest is judging and two audited journal records)"
echo "  guard run (20 targets, 3 waves: 40 processes, 28 audited journal records): $staged ms"
echo "in process (bench_guard):"
build/tests/bench_guard 200 | sed 's/^/  /'
