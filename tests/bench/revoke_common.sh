# Shared by revoke.sh and revoke_qemu.sh (sourced; needs $rf, the ringfence binary).
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# write_images DIR [WORKLOAD ARGS...]: DIR/base (version 1.0) and DIR/cand (2.0), process images
# of the bundled workload, each started with its version and the given arguments.
write_images() {
  local d="$1" v extra=""
  shift
  for a in "$@"; do extra+=", \"$a\""; done
  rm -rf "$d" && mkdir -p "$d/base" "$d/cand"
  for v in base:1.0 cand:2.0; do
    printf 'apiVersion: ringfence/v1\nkind: Image\nversion: "%s"\nentrypoint: ["@workload", "--version", "%s"%s]\n' \
      "${v#*:}" "${v#*:}" "$extra" >"$d/${v%%:*}/manifest.yaml"
  done
}

# promote_kept STATE PLAN: runs PLAN's rollout to promotion with its sessions kept; a judge short
# of events waits for a human (exit 2), who promotes. Any other end is a failed benchmark.
promote_kept() {
  local rc=0 id
  "$rf" rollout --state "$1" start "$2" --keep-sessions -q >/dev/null 2>&1 || rc=$?
  if [ "$rc" -eq 2 ]; then
    id="$("$rf" rollout --state "$1" status --format json |
      python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["rollout"])')"
    "$rf" rollout --state "$1" promote "$id" --by bench --keep-sessions --no-load -q >/dev/null 2>&1
  elif [ "$rc" -ne 0 ]; then
    echo "the rollout ended with exit $rc, not promoted" >&2
    exit 1
  fi
}

# fleet_count STATE VERSION: "<sessions> <parked> <snapshots>" of VERSION in the fleet.
fleet_count() {
  "$rf" fleet --state "$1" list --format json | python3 -c '
import json, sys
f = json.load(sys.stdin)
s = [x for x in f["sessions"] if x["version"] == sys.argv[1]]
print(len(s), sum(1 for x in s if x["state"] == "parked"), sum(1 for x in f["snapshots"] if x["version"] == sys.argv[1]))' "$2"
}

# image_digest_of STATE VERSION: the image digest VERSION's sessions were launched from.
image_digest_of() {
  "$rf" fleet --state "$1" list --format json | python3 -c '
import json, sys
print(next(s["image_digest"] for s in json.load(sys.stdin)["sessions"] if s["version"] == sys.argv[1]))' "$2"
}

# summary REPEATS FLOOR_NAME: the medians of revoke_times and kill_times and their ratio.
summary() {
  local r k
  r=$(printf '%s\n' "${revoke_times[@]}" | median)
  k=$(printf '%s\n' "${kill_times[@]}" | median)
  echo "median over $1 runs: revoke $r ms (incl. the verifying fleet list), $2 $k ms," \
    "ratio $(python3 -c "print(round($r / max($k, 1), 1))")x"
}
