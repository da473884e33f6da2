#include "engine/rules/evaluator.h"

#include <algorithm>
#include <sstream>

namespace ringfence {
namespace {

// Why `w` does not excuse this firing, or "" when it does.
std::string WaiverMismatch(const Waiver& w, const ChangeFacts& facts) {
  if (facts.now >= w.expires_at) return "expired on " + w.expires;
  if (!w.patch_id.empty() && w.patch_id != facts.scope.changes.patch_id) {
    return "bound to patch " + w.patch_id.substr(0, 12) + ", this change is " +
           (facts.scope.changes.patch_id.empty() ? "unknown" : facts.scope.changes.patch_id.substr(0, 12));
  }
  if (!w.paths.empty()) {
    std::vector<PathGlob> globs;
    for (const auto& p : w.paths) {
      if (auto g = PathGlob::Parse(p)) globs.push_back(std::move(*g));
    }
    for (const auto& f : facts.scope.changes.files) {
      bool inside = false;
      for (const auto& g : globs) inside = inside || g.Matches(f.path);
      if (!inside) return "changed file " + f.path + " is outside its paths";
    }
  }
  return "";
}

bool SameHandle(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// Owners of what the change touches itself: the owners of its changed files (CODEOWNERS) and of
// the components its changed files belong to, by the base's classification. Owners of code that
// is merely affected further away are not among them.
std::vector<std::string> OwnersOfChange(const ChangeFacts& facts) {
  std::vector<std::string> out;
  for (const auto& o : facts.scope.owners) {
    bool direct = o.distance <= 1;
    if (!direct && o.distance == 2) {
      for (const auto& c : facts.scope.components) {
        direct = direct || (c.changed_directly && o.because == "component:" + c.name);
      }
    }
    if (direct) out.push_back(o.owner);
  }
  return out;
}

}  // namespace

const char* ToString(Decision d) {
  switch (d) {
    case Decision::kAllow:
      return "allow";
    case Decision::kWarn:
      return "warn";
    case Decision::kNeedsApproval:
      return "needs_approval";
    case Decision::kDeny:
      return "deny";
    case Decision::kIndeterminate:
      return "indeterminate";
  }
  return "unknown";
}

std::optional<Decision> DecisionNamed(std::string_view text) {
  for (Decision d : {Decision::kAllow, Decision::kWarn, Decision::kNeedsApproval, Decision::kDeny,
                     Decision::kIndeterminate}) {
    if (text == ToString(d)) return d;
  }
  return std::nullopt;
}

Verdict Evaluate(const RuleSet& rules, const std::vector<Waiver>& waivers, const ChangeFacts& facts,
                 const Approvals& approvals) {
  Verdict v;
  const ScopeReport& scope = facts.scope;
  size_t changed = scope.changes.files.size();
  if (!scope.unresolved.empty()) {
    double share =
        changed ? static_cast<double>(scope.unresolved.size()) / static_cast<double>(changed) : 1.0;
    if (share > rules.settings.max_unresolved_share) {
      std::ostringstream s;
      for (size_t i = 0; i < scope.reasons.size(); ++i) s << (i ? "; " : "") << scope.reasons[i];
      if (scope.reasons.empty())
        s << scope.unresolved.size() << " of " << changed << " changed files cannot be placed";
      s << " (allowed share " << rules.settings.max_unresolved_share << ")";
      v.indeterminate.push_back(s.str());
    }
  }

  bool deny = false, warn = false, needs_approval = false;
  const std::vector<std::string> change_owners = OwnersOfChange(facts);
  for (const auto& rule : rules.rules) {
    MatchResult m = rule.when->Evaluate(facts);
    if (m.indeterminate) v.indeterminate.push_back("rule " + rule.id + ": " + *m.indeterminate);
    if (!m.matched) continue;
    FiredRule fired;
    fired.rule = &rule;
    fired.match = std::move(m);
    for (const auto& w : waivers) {
      if (w.rule != rule.id) continue;
      std::string why = WaiverMismatch(w, facts);
      if (why.empty()) {
        fired.waiver = &w;
        break;
      }
      v.unused_waivers.push_back({&w, why});
    }
    if (!fired.waiver) {
      switch (rule.effect) {
        case Effect::kDeny:
          deny = true;
          break;
        case Effect::kWarn:
          warn = true;
          break;
        case Effect::kStage:
          warn = true;
          v.must_stage = true;
          break;
        case Effect::kRequireApproval: {
          // An approval counts from the approvers the rule names, or, when it names none, from an
          // owner of what the change touches: never from any handle.
          const std::vector<std::string>& allowed = rule.approvers.empty() ? change_owners : rule.approvers;
          for (const auto& who : approvals.by) {
            bool counts = std::any_of(allowed.begin(), allowed.end(),
                                      [&](const std::string& a) { return SameHandle(a, who); });
            bool fresh = std::none_of(fired.approved_by.begin(), fired.approved_by.end(),
                                      [&](const std::string& a) { return SameHandle(a, who); });
            if (counts && fresh) fired.approved_by.push_back(who);
            if (!counts && fresh) fired.rejected_approvals.push_back(who);
          }
          fired.satisfied = static_cast<int>(fired.approved_by.size()) >= rule.min_approvals;
          needs_approval = needs_approval || !fired.satisfied;
          break;
        }
        case Effect::kAllow:
          break;
      }
      v.constraints.Merge(rule.rollout);
    }
    v.fired.push_back(std::move(fired));
  }

  if (deny)
    v.decision = Decision::kDeny;
  else if (!v.indeterminate.empty())
    v.decision = Decision::kIndeterminate;
  else if (needs_approval)
    v.decision = Decision::kNeedsApproval;
  else if (warn)
    v.decision = Decision::kWarn;
  else
    v.decision = Decision::kAllow;

  size_t active = 0;
  for (const auto& f : v.fired) active += f.waiver == nullptr;
  std::ostringstream s;
  s << ToString(v.decision) << ": " << v.fired.size() << " rule(s) fired";
  if (active != v.fired.size()) s << " (" << v.fired.size() - active << " waived)";
  s << " over " << changed << " changed file(s)";
  v.summary = s.str();
  return v;
}

}  // namespace ringfence
