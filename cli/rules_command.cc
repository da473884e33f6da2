// `ringfence rules lint PATH...` and `ringfence rules test PATH...`.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "adapters/common/files.h"
#include "adapters/git/git_source_tree.h"
#include "adapters/git/message_trailers.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/yaml_files.h"
#include "engine/core/civil_time.h"
#include "engine/graph/components_file.h"
#include "engine/rules/author.h"
#include "engine/rules/rule_fixture.h"
#include "engine/rules/waivers.h"

namespace ringfence::cli {
namespace fs = std::filesystem;
namespace {

std::chrono::system_clock::time_point Now(const std::string& at) {
  if (auto m = ParseDayTime(at)) return std::chrono::system_clock::time_point(*m);
  return std::chrono::system_clock::now();
}

int Lint(const std::vector<std::string>& paths, const std::string& repo, const std::string& now_text) {
  auto files = ReadYamlFiles(paths);
  if (!files) {
    std::cerr << "ringfence rules lint: " << files.error().message << "\n";
    return ExitCodeFor(files.error());
  }
  auto sorted = SortByKind(*files);
  if (!sorted) {
    std::cerr << "ringfence rules lint: " << sorted.error().message << "\n";
    return ExitCodeFor(sorted.error());
  }
  const std::vector<SourceFile>& rule_files = sorted->rules;
  const std::vector<SourceFile>& waiver_files = sorted->waivers;
  if (rule_files.empty() && waiver_files.empty()) {
    std::cerr << "ringfence rules lint: no rule or waiver file in the paths given (`check` would refuse them)\n";
    return kExitInvalidInput;
  }
  auto rules = LoadRules(rule_files);
  if (!rules) {
    std::cerr << rules.error().message << "\n";
    return kExitInvalidInput;
  }
  LintContext ctx;
  ctx.now = Now(now_text);
  if (!repo.empty()) {
    auto tree = git::GitSourceTree::AtRevision(repo, "HEAD");
    if (!tree) {
      std::cerr << "ringfence rules lint: " << tree.error().message << "\n";
      return ExitCodeFor(tree.error());
    }
    auto entries = (*tree)->List();
    if (entries) {
      for (const auto& e : *entries) ctx.files.push_back(e.path);
    }
    if (auto text = (*tree)->ReadPath(kComponentsPath)) {
      if (auto comps = ComponentsFile::Parse(*text, kComponentsPath)) {
        for (const auto& c : comps->components) ctx.components.push_back(c.name);
      }
    }
  }
  std::vector<std::string> findings;
  auto at = [](const Rule& r) { return r.file + ":" + std::to_string(r.line) + ": "; };
  std::map<std::string, const Rule*> by_condition;
  for (const auto& r : rules->rules) {
    if (auto why = r.when->Impossible(ctx)) findings.push_back(at(r) + "rule '" + r.id + "' can never fire: " + *why);
    auto [it, fresh] = by_condition.emplace(r.when->Describe(), &r);
    if (!fresh) {
      const Rule* other = it->second;
      const Rule* weak = other->effect <= r.effect ? other : &r;
      const Rule* strong = weak == other ? &r : other;
      findings.push_back(at(*weak) + "rule '" + weak->id + "' is shadowed by '" + strong->id +
                         "' (same condition, effect " + ToString(strong->effect) + " >= " + ToString(weak->effect) + ")");
      it->second = strong;
    }
  }
  auto now = *ctx.now;
  size_t waivers = 0;
  for (const auto& f : waiver_files) {
    auto ws = LoadWaivers(f);
    if (!ws) {
      std::cerr << ws.error().message << "\n";
      return kExitInvalidInput;
    }
    for (const auto& w : *ws) {
      ++waivers;
      std::string where = w.file + ":" + std::to_string(w.line) + ": ";
      if (now >= w.expires_at) findings.push_back(where + "waiver for '" + w.rule + "' expired on " + w.expires);
      bool known = std::any_of(rules->rules.begin(), rules->rules.end(), [&](const Rule& r) { return r.id == w.rule; });
      if (!known && !rule_files.empty()) findings.push_back(where + "waiver names unknown rule '" + w.rule + "'");
    }
  }
  for (const auto& f : findings) std::cout << f << "\n";
  std::cout << rules->rules.size() << " rule(s), " << waivers << " waiver(s) in " << rule_files.size() + waiver_files.size()
            << " file(s): " << findings.size() << " finding(s)\n";
  return findings.empty() ? kExitOk : kExitDenied;
}

int Test(const std::vector<std::string>& paths, bool verbose) {
  auto files = ReadYamlFiles(paths);
  if (!files) {
    std::cerr << "ringfence rules test: " << files.error().message << "\n";
    return ExitCodeFor(files.error());
  }
  auto sorted = SortByKind(*files);
  if (!sorted) {
    std::cerr << "ringfence rules test: " << sorted.error().message << "\n";
    return ExitCodeFor(sorted.error());
  }
  int passed = 0, failed = 0, fixtures = 0;
  for (const auto& f : sorted->rule_tests) {
    ++fixtures;
    auto fx = LoadFixture(f);
    if (!fx) {
      std::cerr << fx.error().message << "\n";
      return kExitInvalidInput;
    }
    auto rule_files = ReadYamlFiles(fx->rule_files);
    if (!rule_files) {
      std::cerr << f.path << ": " << rule_files.error().message << "\n";
      return kExitInvalidInput;
    }
    auto rules = LoadRules(*rule_files);
    if (!rules) {
      std::cerr << rules.error().message << "\n";
      return kExitInvalidInput;
    }
    AddBuiltinRules(*rules);
    std::vector<Waiver> waivers;
    if (!fx->waivers_file.empty()) {
      auto wf = ReadYamlFiles({fx->waivers_file});
      if (!wf) {
        std::cerr << f.path << ": " << wf.error().message << "\n";
        return kExitInvalidInput;
      }
      for (const auto& w : *wf) {
        auto ws = LoadWaivers(w);
        if (!ws) {
          std::cerr << ws.error().message << "\n";
          return kExitInvalidInput;
        }
        waivers.insert(waivers.end(), ws->begin(), ws->end());
      }
    }
    for (auto& c : fx->cases) {
      for (const auto& rf : *rule_files) c.facts.guard_paths.push_back(rf.path);
      for (auto& commit : c.facts.scope.changes.commits) commit.trailers = git::MessageTrailers(commit.message);
      ClassifyAuthor(c.facts, rules->authors);
      Verdict v = Evaluate(*rules, waivers, c.facts, Approvals{c.approved_by});
      std::vector<std::string> fired;
      for (const auto& fr : v.fired) fired.push_back(fr.rule->id);
      std::sort(fired.begin(), fired.end());
      bool ok = ToString(v.decision) == c.expect_decision && (!c.check_fired || fired == c.expect_fired);
      std::string where = f.path + ":" + std::to_string(c.line);
      if (ok) {
        ++passed;
        if (verbose) std::cout << "PASS " << where << " " << c.name << "\n";
        continue;
      }
      ++failed;
      std::cout << "FAIL " << where << " " << c.name << "\n"
                << "  expected: " << c.expect_decision;
      if (c.check_fired) {
        std::cout << ", fired [";
        for (size_t i = 0; i < c.expect_fired.size(); ++i) std::cout << (i ? ", " : "") << c.expect_fired[i];
        std::cout << "]";
      }
      std::cout << "\n  actual:   " << ToString(v.decision) << ", fired [";
      for (size_t i = 0; i < fired.size(); ++i) std::cout << (i ? ", " : "") << fired[i];
      std::cout << "]\n";
      for (const auto& fr : v.fired) {
        for (const auto& e : fr.match.evidence) std::cout << "    " << fr.rule->id << ": " << e.text << "\n";
      }
      for (const auto& why : v.indeterminate) std::cout << "    cannot decide: " << why << "\n";
    }
  }
  if (fixtures == 0) {
    std::cerr << "ringfence rules test: no RuleTest files under the given paths\n";
    return kExitInvalidInput;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? kExitOk : kExitDenied;
}

}  // namespace

Runner SetupRules(CLI::App& sub) {
  sub.require_subcommand(1);
  struct Flags {
    std::vector<std::string> paths;
    std::string repo;
    std::string now;
    bool verbose = false;
  };
  auto f = std::make_shared<Flags>();
  auto* lint = sub.add_subcommand("lint", "Validate rule and waiver files; find rules that never fire or are shadowed, "
                                          "and expired waivers (exit 1 on findings)");
  lint->add_option("paths", f->paths, "Rule and waiver files or directories")->required();
  lint->add_option("--repo", f->repo, "Also check globs and component names against this repository's HEAD");
  lint->add_option("--now", f->now, "Judge waiver expiry as of YYYY-MM-DD[ HH:MM] UTC");
  auto* test = sub.add_subcommand("test", "Run rule fixtures (kind: RuleTest): expected verdict and fired rules");
  test->add_option("paths", f->paths, "Fixture files or directories")->required();
  test->add_flag("-v,--verbose", f->verbose, "List passing cases too");
  return [f, lint]() -> int {
    if (lint->parsed()) return Lint(f->paths, f->repo, f->now);
    return Test(f->paths, f->verbose);
  };
}

}  // namespace ringfence::cli
