// Rule evaluation time: a typical pull request (100 rules, 50 files) and a large case (1,000
// rules over 10,000 changed files), median of repeated evaluations, in process (no git, no I/O:
// this is the engine's own cost). Rules mix every matcher kind the packs use.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/rules/author.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/rule_loader.h"

using namespace ringfence;

namespace {

const char* kExt[] = {"ts", "go", "py", "tf", "json", "yaml", "java", "cc"};
const char* kDirs[] = {"services", "web", "infra", "libs", "config", "tools", "db", "ml"};

std::string MakeRules(int n) {
  std::string y = "apiVersion: ringfence/v1\nrules:\n";
  for (int i = 0; i < n; ++i) {
    std::string id = "r" + std::to_string(i);
    std::string dir = kDirs[i % 8], ext = kExt[(i / 8) % 8];
    switch (i % 6) {
      case 0:
        y += "  - {id: " + id + ", when: {paths: [\"" + dir + "/m" + std::to_string(i % 50) +
             "/\"]}, effect: warn}\n";
        break;
      case 1:
        y += "  - {id: " + id + ", when: {added_lines: {files: [\"*." + ext + "\"], matches: 'secret_" +
             std::to_string(i) + "\\s*=\\s*\"[A-Za-z0-9]{20,}\"'}}, effect: deny}\n";
        break;
      case 2:
        y += "  - {id: " + id +
             ", when: {all: [{author: ai}, {files_changed: {gt: " + std::to_string(100 + i) +
             "}}]}, effect: require_approval}\n";
        break;
      case 3:
        y += "  - {id: " + id + ", when: {components: [comp" + std::to_string(i % 40) + "]}, effect: warn}\n";
        break;
      case 4:
        y += "  - {id: " + id + ", when: {any: [{kinds: [ci]}, {paths: [\"*." + ext +
             ".bak\"]}]}, effect: warn}\n";
        break;
      case 5:
        y += "  - {id: " + id + ", when: {blast_radius: {components: {gt: " + std::to_string(5 + i % 10) +
             "}, tier: {lte: 0}}}, effect: require_approval}\n";
        break;
    }
  }
  return y;
}

ChangeFacts MakeFacts(int files) {
  ChangeFacts f;
  for (int i = 0; i < files; ++i) {
    FileChange c;
    c.path = std::string(kDirs[i % 8]) + "/m" + std::to_string(i % 50) + "/f" + std::to_string(i) + "." +
             kExt[i % 8];
    c.old_path = c.path;
    for (int l = 0; l < 5; ++l)
      c.added_lines.push_back({l + 1, "  const value_" + std::to_string(l) + " = compute(x, y); // line"});
    c.added = 5;
    f.scope.changes.files.push_back(std::move(c));
  }
  // git lists a diff's files sorted by path.
  std::sort(f.scope.changes.files.begin(), f.scope.changes.files.end(),
            [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
  for (int c = 0; c < 12; ++c)
    f.scope.components.push_back({"comp" + std::to_string(c), c % 3, false, 1 + c % 2, c % 2 == 0});
  f.scope.owners.push_back({"@team", 1, "x"});
  f.branch = "ai/bench";
  return f;
}

double MedianMs(const RuleSet& rules, const ChangeFacts& facts, int reps, Verdict* out) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    ChangeFacts fresh = facts;  // a new change each time: nothing cached from the last evaluation
    fresh.file_kinds_cache.clear();
    fresh.glob_hits_cache.clear();
    fresh.content_cache.clear();
    auto start = std::chrono::steady_clock::now();
    Verdict v = Evaluate(rules, {}, fresh, {});
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (out) *out = std::move(v);
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

void Case(const char* name, int nrules, int nfiles, int reps, double goal_ms) {
  auto rules = LoadRules({{"bench.yaml", MakeRules(nrules)}});
  if (!rules) {
    std::fprintf(stderr, "%s\n", rules.error().message.c_str());
    return;
  }
  ChangeFacts facts = MakeFacts(nfiles);
  ClassifyAuthor(facts, rules->authors);
  Verdict v;
  double ms = MedianMs(*rules, facts, reps, &v);
  std::printf("%-32s %5d rules x %6d files: %9.3f ms median of %d (goal < %g ms), %zu rules fired\n", name,
              nrules, nfiles, ms, reps, goal_ms, v.fired.size());
}

}  // namespace

int main() {
  Case("typical pull request", 100, 50, 201, 1);
  Case("large change", 1000, 10000, 11, 100);
  return 0;
}
