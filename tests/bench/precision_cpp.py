#!/usr/bin/env python3
"""Precision and recall of ringfence's C/C++ blast radius against the compiler.

Usage: precision_cpp.py RINGFENCE REPO [-- RINGFENCE_FLAGS...]

REPO must hold build/compile_commands.json (e.g. `cmake -B build -DCMAKE_EXPORT_COMPILE_COMMANDS=ON`).
The oracle is `gcc -MM` run with each translation unit of the repository (generated sources in
ignored directories are not) with its own command: a (header, TU) pair is a
true dependency when the compiler reads the header for the TU. For every tracked header, the
header is edited in the working tree and `ringfence scope --worktree` names the TUs it affects.
Prints precision and recall over the pairs, and the median scope time.
"""
import json
import os
import shlex
import subprocess
import sys

from precision_common import Score, affected_by_edit


def oracle(repo, commands):
    deps = {}
    for entry in commands:
        args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
        out, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a == "-o":
                skip = True
                continue
            if a == "-c":
                continue
            out.append(a)
        tu = os.path.relpath(os.path.realpath(os.path.join(entry["directory"], entry["file"])), repo)
        r = subprocess.run(out + ["-MM"], cwd=entry["directory"], capture_output=True, text=True)
        if r.returncode != 0:
            continue
        text = r.stdout.replace("\\\n", " ")
        for word in text.split(":", 1)[1].split():
            path = os.path.realpath(os.path.join(entry["directory"], word))
            rel = os.path.relpath(path, repo)
            if not rel.startswith("..") and rel != tu:
                deps.setdefault(rel, set()).add(tu)
    return deps


def main():
    ringfence, repo = sys.argv[1], os.path.realpath(sys.argv[2])
    flags = sys.argv[4:] if len(sys.argv) > 3 and sys.argv[3] == "--" else []
    with open(os.path.join(repo, "build", "compile_commands.json")) as f:
        commands = json.load(f)
    # Translation units of the repository (tracked or not ignored): generated sources in an
    # ignored build directory are no file of the change's tree.
    files = set(subprocess.run(["git", "-C", repo, "ls-files", "-co", "--exclude-standard"], capture_output=True,
                               text=True, check=True).stdout.split())
    commands = [e for e in commands
                if os.path.relpath(os.path.realpath(os.path.join(e["directory"], e["file"])), repo) in files]
    tus = {os.path.relpath(os.path.realpath(os.path.join(e["directory"], e["file"])), repo) for e in commands}
    truth = oracle(repo, commands)
    headers = subprocess.run(["git", "-C", repo, "ls-files", "*.h", "*.hpp", "*.hh"], capture_output=True,
                             text=True, check=True).stdout.split()
    score = Score()
    for h in headers:
        hit, took = affected_by_edit(ringfence, repo, os.path.join(repo, h),
                                     b"/* edited by the precision benchmark */", flags)
        score.add((hit & tus) - {h}, truth.get(h, set()), took)
    print(f"{os.path.basename(repo)} flags={' '.join(flags) or '(none)'}: {len(headers)} headers, "
          f"{len(tus)} TUs, {score}")

if __name__ == "__main__":
    main()
