#!/usr/bin/env python3
"""Precision and recall of ringfence's JavaScript/TypeScript blast radius against dependency-cruiser.

Usage: precision_js.py RINGFENCE REPO DEPCRUISE PATH... 

DEPCRUISE is dependency-cruiser's command (npm: dependency-cruiser, e.g. node_modules/.bin/depcruise);
PATH... are the sources to cruise, relative to REPO (e.g. `lib index.js`). The oracle is
dependency-cruiser's resolved module graph of the repository's own files (node_modules and
unresolvable imports left out): module M depends on module Q when Q is reachable from M. For
every module Q, the file is edited in the working tree and `ringfence scope --worktree` names the
affected files. Prints precision and recall over the (Q, M) pairs and the median scope time.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def main():
    ringfence, repo, depcruise, paths = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3], sys.argv[4:]
    out = subprocess.run([depcruise, "--no-config", "--output-type", "json", "--do-not-follow", "node_modules",
                          "--exclude", "^node_modules"] + paths, cwd=repo, capture_output=True, text=True,
                         check=True).stdout
    modules = json.loads(out)["modules"]
    tracked = set(subprocess.run(["git", "-C", repo, "ls-files"], capture_output=True, text=True,
                                 check=True).stdout.split())
    edges = {}
    for m in modules:
        if m["source"] not in tracked:
            continue
        edges[m["source"]] = {d["resolved"] for d in m["dependencies"]
                              if not d.get("coreModule") and not d.get("couldNotResolve") and d["resolved"] in tracked}
    names = set(edges)
    reach = {}  # module -> everything it reaches

    def reached(m):
        if m not in reach:
            reach[m] = set()
            stack = list(edges.get(m, ()))
            while stack:
                q = stack.pop()
                if q in reach[m]:
                    continue
                reach[m].add(q)
                stack.extend(edges.get(q, ()))
        return reach[m]

    truth = {q: {m for m in names if m != q and q in reached(m)} for q in names}
    tp = fp = fn = 0
    times = []
    for q in sorted(names):
        path = os.path.join(repo, q)
        with open(path, "rb") as f:
            original = f.read()
        try:
            with open(path, "ab") as f:
                f.write(b"\n// edited by the precision benchmark\n")
            start = time.monotonic()
            r = subprocess.run([ringfence, "scope", "--repo", repo, "--base", "HEAD", "--worktree", "--format",
                                "json"], capture_output=True, text=True)
            times.append(time.monotonic() - start)
        finally:
            with open(path, "wb") as f:
                f.write(original)
        report = json.loads(r.stdout)
        hit = {a["node"] for a in report["affected"] if a["kind"] == "file" and a["node"] in names}
        hit.discard(q)
        tp += len(hit & truth[q])
        fp += len(hit - truth[q])
        fn += len(truth[q] - hit)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"{os.path.basename(repo)}: {len(names)} modules, pairs true {tp + fn}: precision {precision:.3f} "
          f"recall {recall:.3f} (tp {tp} fp {fp} fn {fn}), median scope {statistics.median(times) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
