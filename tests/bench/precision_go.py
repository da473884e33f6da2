#!/usr/bin/env python3
"""Precision and recall of ringfence's Go blast radius against `go list`.

Usage: precision_go.py RINGFENCE REPO [-- RINGFENCE_FLAGS...]

REPO is a Go module whose imports outside the module need nothing downloaded (or are already in
the module cache). The oracle is `go list -deps` for the host's GOOS/GOARCH: package Q depends on
package P of the module when P is in Q's transitive Deps. For every package P, one of its
non-test Go files is edited in the working tree and `ringfence scope --worktree` names the
affected files; a package Q != P is predicted when one of its non-test Go files (as go list
builds it) is affected. Prints precision and recall over the (P, Q) pairs and the median scope
time. Test files are left out on both sides: go list's non-test build graph is the oracle.
"""
import json
import os
import subprocess
import sys

from precision_common import Score, affected_by_edit


def packages(repo):
    env = dict(os.environ, GOPROXY="off", GOFLAGS="-mod=mod")
    out = subprocess.run(["go", "list", "-e", "-json", "./..."], cwd=repo, env=env, capture_output=True,
                         text=True, check=True).stdout
    decoder, pos, pkgs = json.JSONDecoder(), 0, []
    while pos < len(out):
        while pos < len(out) and out[pos].isspace():
            pos += 1
        if pos >= len(out):
            break
        obj, pos = decoder.raw_decode(out, pos)
        pkgs.append(obj)
    return pkgs


def main():
    ringfence, repo = sys.argv[1], os.path.realpath(sys.argv[2])
    flags = sys.argv[4:] if len(sys.argv) > 3 and sys.argv[3] == "--" else []
    pkgs = [p for p in packages(repo) if p.get("GoFiles") or p.get("CgoFiles")]
    names = {p["ImportPath"] for p in pkgs}
    files_of = {}
    package_of = {}  # repo-relative non-test Go file -> package
    for p in pkgs:
        rel_dir = os.path.relpath(p["Dir"], repo)
        files = [os.path.normpath(os.path.join(rel_dir, f)) for f in p.get("GoFiles", []) + p.get("CgoFiles", [])]
        files_of[p["ImportPath"]] = files
        for f in files:
            package_of[f] = p["ImportPath"]
    truth = {n: set() for n in names}
    for p in pkgs:
        for dep in p.get("Deps", []):
            if dep in names:
                truth[dep].add(p["ImportPath"])
    score = Score()
    for p in sorted(names):
        hit, took = affected_by_edit(ringfence, repo, os.path.join(repo, files_of[p][0]),
                                     b"// edited by the precision benchmark", flags)
        score.add({package_of[f] for f in hit if f in package_of} - {p}, truth[p], took)
    print(f"{os.path.basename(repo)} flags={' '.join(flags) or '(none)'}: {len(names)} packages, {score}")

if __name__ == "__main__":
    main()
