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
import subprocess
import sys

from precision_common import Score, affected_by_edit


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
    score = Score()
    for q in sorted(names):
        hit, took = affected_by_edit(ringfence, repo, os.path.join(repo, q), b"// edited by the precision benchmark")
        score.add((hit & names) - {q}, truth[q], took)
    print(f"{os.path.basename(repo)}: {len(names)} modules, {score}")

if __name__ == "__main__":
    main()
