#!/usr/bin/env python3
"""Precision and recall of ringfence's Python blast radius against Python's import machinery.

Usage: precision_python.py RINGFENCE REPO SRC_DIR [PYTHON]

SRC_DIR (relative to REPO) is the directory on sys.path that holds the repository's packages
(e.g. `src` or `.`); PYTHON (default /usr/bin/python3) must have the packages' own dependencies.
The oracle runs the import machinery itself: for every module M of the repository, a fresh
interpreter imports M and reports which of the repository's files it loaded (package __init__
files, conditional and function-level imports that run at import time included); module Q
affects M when importing M loaded Q. For every module Q, the file is edited in the working tree
and `ringfence scope --worktree` names the affected files. Prints precision and recall over the
(Q, M) pairs and the median scope time. Modules that fail to import are left out.
"""
import json
import os
import subprocess
import sys

from precision_common import Score, affected_by_edit

PROBE = r"""
import importlib, json, os, sys
repo = os.path.realpath(sys.argv[1])
importlib.import_module(sys.argv[2])
loaded = set()
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f and os.path.realpath(f).startswith(repo + os.sep):
        loaded.add(os.path.relpath(os.path.realpath(f), repo))
print(json.dumps(sorted(loaded)))
"""


def main():
    ringfence, repo, src = sys.argv[1], os.path.realpath(sys.argv[2]), sys.argv[3]
    python = sys.argv[4] if len(sys.argv) > 4 else "/usr/bin/python3"
    tracked = subprocess.run(["git", "-C", repo, "ls-files", "--", f"{src}/*.py" if src != "." else "*.py"],
                             capture_output=True, text=True, check=True).stdout.split()
    modules = {}
    for f in tracked:
        rel = os.path.relpath(f, src)
        if rel.startswith("..") or "/tests/" in "/" + rel or rel.split("/")[0] in ("tests", "test", "docs"):
            continue
        parts = rel[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and all(p.isidentifier() for p in parts):
            modules[f] = ".".join(parts)
    env = dict(os.environ, PYTHONPATH=os.path.join(repo, src), PYTHONDONTWRITEBYTECODE="1")
    loads = {}
    for f, name in sorted(modules.items()):
        r = subprocess.run([python, "-c", PROBE, repo, name], env=env, cwd="/", capture_output=True, text=True)
        if r.returncode == 0:
            loads[f] = set(json.loads(r.stdout))
    importable = set(loads)
    truth = {q: {m for m, loaded in loads.items() if q in loaded and m != q} for q in importable}
    score = Score()
    for q in sorted(importable):
        hit, took = affected_by_edit(ringfence, repo, os.path.join(repo, q), b"# edited by the precision benchmark")
        hit = (hit & importable) - {q}
        score.add(hit, truth[q], took)
    print(f"{os.path.basename(repo)}: {len(importable)} of {len(modules)} modules importable, {score}")

if __name__ == "__main__":
    main()
