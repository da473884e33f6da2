#!/usr/bin/env python3
"""What `ringfence init` changes for a repository without a components file or CODEOWNERS.

Usage: init_on_prs.py RINGFENCE REPO [N] [--drop-missing]

For each of REPO's last N (default 60) merged pull requests (merge commits on the first-parent
line of HEAD), the change the merge brought in (M^1..M) is scoped twice: as the repository is,
and with the components file `ringfence init` proposes from the base revision committed on top
of both sides (plumbing only: the work tree is not touched). Prints how many scopes were
determined (exit 0) and indeterminate (exit 3) each way, and the median times of init and scope.
--drop-missing: files whose objects the clone lacks (a partial snapshot) are left out of both
sides, so that what is measured is the components, not an unreadable object.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time


def git(repo, *args, env=None, input=None):
    return subprocess.run(["git", "-C", repo] + list(args), capture_output=True, text=True, check=True,
                          env=env, input=input).stdout.strip()


def missing_paths(repo, commit):
    """Paths of `commit`'s tree whose blobs are not in the object store."""
    listing = git(repo, "ls-tree", "-r", commit).splitlines()
    entries = [line.split("\t", 1) for line in listing]
    ids = "\n".join(meta.split()[2] for meta, _ in entries) + "\n"
    checked = git(repo, "cat-file", "--batch-check", input=ids).splitlines()
    return [path for (meta, path), line in zip(entries, checked) if line.endswith(" missing")]


def rewrite(repo, commit, parent, add=None, drop=()):
    """A commit of `commit`'s tree with `add` ((path, blob id)) added and `drop` removed."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(tmp, "index"))
        git(repo, "read-tree", commit, env=env)
        if drop:
            git(repo, "update-index", "--force-remove", "--stdin", env=env, input="\n".join(drop) + "\n")
        if add:
            git(repo, "update-index", "--add", "--cacheinfo", f"100644,{add[1]},{add[0]}", env=env)
        tree = git(repo, "write-tree", env=env)
    return git(repo, "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit-tree", tree, "-p",
               parent, "-m", "rewritten by the init benchmark")


def scope(ringfence, repo, base, head):
    start = time.monotonic()
    r = subprocess.run([ringfence, "scope", "--repo", repo, "--base", base, "--head", head, "--format", "json"],
                       capture_output=True, text=True)
    return r.returncode, time.monotonic() - start, r.stderr


def main():
    args = [a for a in sys.argv[1:] if a != "--drop-missing"]
    drop_missing = len(args) < len(sys.argv) - 1
    ringfence, repo = args[0], os.path.realpath(args[1])
    n = int(args[2]) if len(args) > 2 else 60
    merges = git(repo, "log", "--first-parent", "--merges", "-n", str(n), "--format=%H").split()
    before, after, init_times, scope_times, reasons = {}, {}, [], [], {}
    for m in merges:
        drop = sorted(set(missing_paths(repo, m + "^1")) | set(missing_paths(repo, m))) if drop_missing else []
        base, head = m + "^1", m
        if drop:
            base = rewrite(repo, m + "^1", m + "^1", drop=drop)
            head = rewrite(repo, m, base, drop=drop)
        rc, took, _ = scope(ringfence, repo, base, head)
        before[rc] = before.get(rc, 0) + 1
        start = time.monotonic()
        proposal = subprocess.run([ringfence, "init", "--repo", repo, "--rev", base], capture_output=True,
                                  text=True, check=True).stdout
        init_times.append(time.monotonic() - start)
        blob = git(repo, "hash-object", "-w", "--stdin", input=proposal)
        path = ".ringfence/components.yaml"
        base2 = rewrite(repo, m + "^1", m + "^1", add=(path, blob), drop=drop)
        head2 = rewrite(repo, m, base2, add=(path, blob), drop=drop)
        rc, took, err = scope(ringfence, repo, base2, head2)
        scope_times.append(took)
        after[rc] = after.get(rc, 0) + 1
        if rc != 0:
            reasons[err.strip().splitlines()[-1] if err.strip() else f"exit {rc}"] = m
    name = os.path.basename(repo)
    print(f"{name}: {len(merges)} merged pull requests; exit codes without a components file {dict(sorted(before.items()))}, "
          f"with init's proposal {dict(sorted(after.items()))}; median init {statistics.median(init_times) * 1e3:.0f} ms, "
          f"median scope {statistics.median(scope_times) * 1e3:.0f} ms")
    for why, m in reasons.items():
        print(f"  not determined ({m[:12]}): {why}")


if __name__ == "__main__":
    main()
