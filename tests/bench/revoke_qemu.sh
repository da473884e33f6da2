#!/usr/bin/env bash
# The revoke path on real micro VMs (qemu): a promoted rollout leaves its candidate's sessions
# kept, some running and some parked to disk (park_after), and a template of each image;
# `ringfence image revoke` of the candidate's digest is timed until `fleet list` holds no session,
# parked snapshot or template of it, next to ending as many of the baseline's micro VMs directly
# (SIGTERM to their QEMU, waited for). REPEATS (default 3) per figure; medians and their ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
repeats="${1:-3}"
dir="${BENCH_DIR:-/tmp/ringfence-bench-revoke-qemu}"
scripts/build.sh default ringfence ringfence-workload-guest >/dev/null
rf="$PWD/build/ringfence"
source tests/bench/revoke_common.sh
[ -f build/guest/vmlinux ] || "$rf" image build examples/guest -o build/guest --workload build/ringfence-workload-guest >/dev/null
write_images "$dir" --error-rate 0.2
cat > "$dir/plan.yaml" <<PLAN
apiVersion: ringfence/v1
kind: RolloutPlan
service: bench
backend: qemu
baseline: {image: base}
candidate: {image: cand}
sessions: {warm_window: 10m, park_after: 4s}
steps:
  - {weight: 50, bake: 20s}
  - {weight: 100, bake: 0s}
load: {clients: 2, requests_per_session: 10, think: 100ms, returning: 0}
analysis:
  interval: 1s
  metrics: [{name: errors, judge: {type: sequential, alpha: 0.001, min_events: 5}}]
qemu: {kernel: $PWD/build/guest/vmlinux, initrd: $PWD/build/guest/initrd.cpio.gz}
PLAN
revoke_times=() kill_times=()
for i in $(seq "$repeats"); do
  state="$dir/state-$i"
  promote_kept "$state" "$dir/plan.yaml"
  digest="$(image_digest_of "$state" 2.0)"
  read -r n parked snapshots <<<"$(fleet_count "$state" 2.0)"
  t0=$(ms)
  "$rf" image revoke "$digest" --reason bench --by bench --state "$state" >/dev/null
  read -r left _ snaps_left <<<"$(fleet_count "$state" 2.0)"
  t1=$(ms)
  [ "$left" -eq 0 ] && [ "$snaps_left" -eq 0 ] || { echo "revoke left $left sessions, $snaps_left snapshots" >&2; exit 1; }
  # The floor: the baseline's running micro VMs ended directly.
  pids=$(python3 -c '
import glob, json
for f in glob.glob("'"$state"'/sessions/qemu/vms/*.json"):
    pid = json.load(open(f)).get("process", {}).get("pid", 0)
    if pid > 0: print(pid)')
  m=$(echo "$pids" | grep -c . || true)
  k0=$(ms)
  for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
  for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.005; done; done
  k1=$(ms)
  revoke_times+=($((t1 - t0))) kill_times+=($(((k1 - k0) * n / (m > 0 ? m : 1))))
  echo "run $i: $n sessions ($parked parked), $snapshots snapshots: revoke to none left ${revoke_times[-1]} ms;" \
    "ending $m baseline VMs directly $((k1 - k0)) ms (scaled to $n: ${kill_times[-1]} ms)"
done
summary "$repeats" "direct end"
