#!/usr/bin/env bash
# The revoke path on real process sessions: a promoted rollout leaves about 100
# candidate sessions running, `ringfence image revoke` of the candidate's digest is timed until
# `fleet list` holds none of them, next to the floor: `kill` of as many processes of the same
# workload and waiting for them to go. REPEATS (default 3) per figure; medians and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
# (about 100-150 sessions: 50 clients, each on a new session every 10 requests of a 5 s bake)
repeats="${1:-3}"
dir="${BENCH_DIR:-/tmp/ringfence-bench-revoke}"
scripts/build.sh default ringfence ringfence-workload >/dev/null
rf="$PWD/build/ringfence"
source tests/bench/revoke_common.sh
write_images "$dir"
cat > "$dir/plan.yaml" <<PLAN
apiVersion: ringfence/v1
kind: RolloutPlan
service: bench
backend: process
baseline: {image: base}
candidate: {image: cand}
sessions: {warm_window: 10m}
steps:
  - {weight: 100, bake: 5s}
load: {clients: 50, requests_per_session: 10, think: 25ms, returning: 0}
analysis:
  interval: 250ms
  metrics: [{name: errors, judge: {type: sequential, alpha: 0.01, min_events: 5}}]
PLAN
revoke_times=() kill_times=() counts=()
for i in $(seq "$repeats"); do
  state="$dir/state-$i"
  promote_kept "$state" "$dir/plan.yaml"
  digest="$(image_digest_of "$state" 2.0)"
  read -r n _ _ <<<"$(fleet_count "$state" 2.0)"
  t0=$(ms)
  "$rf" image revoke "$digest" --reason bench --by bench --state "$state" >/dev/null
  read -r left _ _ <<<"$(fleet_count "$state" 2.0)"
  t1=$(ms)
  [ "$left" -eq 0 ] || { echo "revoke left $left sessions" >&2; exit 1; }
  # What is left (the baseline's) goes, and the floor: as many workloads started and killed directly.
  for p in $(python3 -c '
import glob, json
for f in glob.glob("'"$state"'/sessions/process/sessions/*.json"):
    print(json.load(open(f)).get("process", {}).get("pid", 0))'); do kill -9 -- "-$p" 2>/dev/null || true; done
  pids=()
  for _ in $(seq "$n"); do build/ringfence-workload --version 1 --port 0 >/dev/null 2>&1 & pids+=($!); done
  sleep 1
  k0=$(ms)
  kill -TERM "${pids[@]}"
  wait "${pids[@]}" 2>/dev/null || true
  k1=$(ms)
  revoke_times+=($((t1 - t0))) kill_times+=($((k1 - k0))) counts+=("$n")
  echo "run $i: $n sessions: revoke to none left ${revoke_times[-1]} ms; kill+wait ${kill_times[-1]} ms"
done
echo "sessions per run: ${counts[*]}"
summary "$repeats" "kill+wait"
