#include "app/rules_lint.h"

#include <algorithm>
#include <map>

#include "app/yaml_files.h"
#include "engine/graph/components_file.h"
#include "engine/rules/rule_loader.h"
#include "engine/rules/waivers.h"

namespace ringfence::app {

const char* ToString(LintFinding::Kind kind) {
  switch (kind) {
    case LintFinding::Kind::kNeverFires:
      return "never_fires";
    case LintFinding::Kind::kShadowed:
      return "shadowed";
    case LintFinding::Kind::kWaiverExpired:
      return "waiver_expired";
    case LintFinding::Kind::kWaiverUnknownRule:
      return "waiver_unknown_rule";
  }
  return "?";
}

Result<LintReport> LintRules(const FileReader& reader, const std::vector<std::string>& paths,
                             Repository* repo, std::chrono::system_clock::time_point now) {
  auto files = ReadYamlFiles(reader, paths);
  if (!files) return files.error();
  auto sorted = SortByKind(*files);
  if (!sorted) return sorted.error();
  const std::vector<SourceFile>& rule_files = sorted->rules;
  const std::vector<SourceFile>& waiver_files = sorted->waivers;
  if (rule_files.empty() && waiver_files.empty()) {
    return Error::InvalidInput("no rule or waiver file in the paths given (`check` would refuse them)");
  }
  auto rules = LoadRules(rule_files);
  if (!rules) return rules.error();
  LintContext ctx;
  ctx.now = now;
  if (repo) {
    auto tree = repo->TreeAt("HEAD");
    if (!tree) return tree.error();
    if (auto entries = (*tree)->List()) {
      for (const auto& e : *entries) ctx.files.push_back(e.path);
    }
    if (auto text = (*tree)->ReadPath(kComponentsPath)) {
      if (auto comps = ComponentsFile::Parse(*text, kComponentsPath)) {
        for (const auto& c : comps->components) ctx.components.push_back(c.name);
      }
    }
  }
  LintReport report;
  using K = LintFinding::Kind;
  std::map<std::string, const Rule*> by_condition;
  for (const auto& r : rules->rules) {
    if (auto why = r.when->Impossible(ctx))
      report.findings.push_back(
          {K::kNeverFires, r.id, r.file, r.line, "rule '" + r.id + "' can never fire: " + *why});
    auto [it, fresh] = by_condition.emplace(r.when->Describe(), &r);
    if (!fresh) {
      const Rule* other = it->second;
      const Rule* weak = other->effect <= r.effect ? other : &r;
      const Rule* strong = weak == other ? &r : other;
      report.findings.push_back({K::kShadowed, weak->id, weak->file, weak->line,
                                 "rule '" + weak->id + "' is shadowed by '" + strong->id +
                                     "' (same condition, effect " + ToString(strong->effect) +
                                     " >= " + ToString(weak->effect) + ")"});
      it->second = strong;
    }
  }
  for (const auto& f : waiver_files) {
    auto ws = LoadWaivers(f);
    if (!ws) return ws.error();
    for (const auto& w : *ws) {
      ++report.waivers;
      if (now >= w.expires_at)
        report.findings.push_back({K::kWaiverExpired, w.rule, w.file, w.line,
                                   "waiver for '" + w.rule + "' expired on " + w.expires});
      bool known = std::any_of(rules->rules.begin(), rules->rules.end(),
                               [&](const Rule& r) { return r.id == w.rule; });
      if (!known && !rule_files.empty())
        report.findings.push_back(
            {K::kWaiverUnknownRule, w.rule, w.file, w.line, "waiver names unknown rule '" + w.rule + "'"});
    }
  }
  report.rules = rules->rules.size();
  report.files = rule_files.size() + waiver_files.size();
  return report;
}

}  // namespace ringfence::app
