#include "app/rules_test.h"

#include <algorithm>

#include "app/yaml_files.h"
#include "engine/rules/author.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/rule_fixture.h"
#include "engine/rules/rule_loader.h"
#include "engine/rules/waivers.h"

namespace ringfence::app {

int RuleTestReport::passed() const {
  return static_cast<int>(
      std::count_if(cases.begin(), cases.end(), [](const CaseResult& c) { return c.passed; }));
}
int RuleTestReport::failed() const { return static_cast<int>(cases.size()) - passed(); }

Result<RuleTestReport> RunRuleTests(const FileReader& reader, const std::vector<std::string>& paths,
                                    const TrailerParser& trailers) {
  auto files = ReadYamlFiles(reader, paths);
  if (!files) return files.error();
  auto sorted = SortByKind(*files);
  if (!sorted) return sorted.error();
  RuleTestReport report;
  for (const auto& f : sorted->rule_tests) {
    ++report.fixtures;
    auto fx = LoadFixture(f);
    if (!fx) return fx.error();
    auto rule_files = ReadYamlFiles(reader, fx->rule_files);
    if (!rule_files) return rule_files.error().Wrap(f.path);
    auto rules = LoadRules(*rule_files);
    if (!rules) return rules.error();
    AddBuiltinRules(*rules);
    std::vector<Waiver> waivers;
    if (!fx->waivers_file.empty()) {
      auto wf = ReadYamlFiles(reader, {fx->waivers_file});
      if (!wf) return wf.error().Wrap(f.path);
      for (const auto& w : *wf) {
        auto ws = LoadWaivers(w);
        if (!ws) return ws.error();
        waivers.insert(waivers.end(), ws->begin(), ws->end());
      }
    }
    for (auto& c : fx->cases) {
      for (const auto& rf : *rule_files) c.facts.guard_paths.push_back(rf.path);
      for (auto& commit : c.facts.scope.changes.commits) commit.trailers = trailers(commit.message);
      ClassifyAuthor(c.facts, rules->authors);
      Verdict v = Evaluate(*rules, waivers, c.facts, Approvals{c.approved_by});
      CaseResult r;
      r.where = f.path + ":" + std::to_string(c.line);
      r.name = c.name;
      for (const auto& fr : v.fired) r.actual_fired.push_back(fr.rule->id);
      std::sort(r.actual_fired.begin(), r.actual_fired.end());
      r.expected_decision = c.expect_decision;
      r.actual_decision = ToString(v.decision);
      r.check_fired = c.check_fired;
      r.expected_fired = c.expect_fired;
      r.passed =
          r.actual_decision == r.expected_decision && (!c.check_fired || r.actual_fired == c.expect_fired);
      if (!r.passed) {
        for (const auto& fr : v.fired) {
          for (const auto& e : fr.match.evidence) r.details.push_back(fr.rule->id + ": " + e.text);
        }
        for (const auto& why : v.indeterminate) r.details.push_back("cannot decide: " + why);
      }
      report.cases.push_back(std::move(r));
    }
  }
  if (report.fixtures == 0) return Error::InvalidInput("no RuleTest files under the given paths");
  return report;
}

}  // namespace ringfence::app
