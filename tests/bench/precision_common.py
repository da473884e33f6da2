"""What the precision benchmarks share: edit one file in the working tree, ask `ringfence scope
--worktree` what it affects, restore the file; and score predicted against true pairs."""
import json
import statistics
import subprocess
import time


def affected_by_edit(ringfence, repo, path, comment, flags=()):
    """The file nodes `ringfence scope` reports affected when `path` (absolute) gets `comment`
    appended, and the seconds the scope took. The file is restored whatever happens."""
    with open(path, "rb") as f:
        original = f.read()
    try:
        with open(path, "ab") as f:
            f.write(b"\n" + comment + b"\n")
        start = time.monotonic()
        r = subprocess.run([ringfence, "scope", "--repo", repo, "--base", "HEAD", "--worktree", "--format", "json"]
                           + list(flags), capture_output=True, text=True)
        took = time.monotonic() - start
    finally:
        with open(path, "wb") as f:
            f.write(original)
    report = json.loads(r.stdout)
    return {a["node"] for a in report["affected"] if a["kind"] == "file"}, took


class Score:
    """True positives, false positives and false negatives over (changed, affected) pairs."""

    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.times = []

    def add(self, predicted, true, took):
        self.tp += len(predicted & true)
        self.fp += len(predicted - true)
        self.fn += len(true - predicted)
        self.times.append(took)

    def __str__(self):
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return (f"pairs true {self.tp + self.fn}: precision {precision:.3f} recall {recall:.3f} "
                f"(tp {self.tp} fp {self.fp} fn {self.fn}), median scope "
                f"{statistics.median(self.times) * 1e3:.0f} ms")
