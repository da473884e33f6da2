// Rules: a condition over ChangeFacts, an effect, and what the effect asks for.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/rules/change_facts.h"

namespace ringfence {

// Why a condition matched: a file and line where there is one, and what was seen.
struct Evidence {
  std::string file;
  int line = 0;
  std::string text;
};

struct MatchResult {
  bool matched = false;
  std::vector<Evidence> evidence;
  // The condition could not be evaluated (missing data): the verdict becomes indeterminate.
  std::optional<std::string> indeterminate;
};

// What lint knows about the repository the rules are meant for (any part may be empty).
struct LintContext {
  std::vector<std::string> files;                            // every file of the repository
  std::vector<std::string> components;                       // names declared in its components file
  std::optional<std::chrono::system_clock::time_point> now;  // for windows that have passed
};

// A condition over the facts of a change. Implementations live in engine/rules/matchers/.
class Matcher {
 public:
  virtual ~Matcher() = default;
  virtual MatchResult Evaluate(const ChangeFacts& facts) const = 0;
  // Why this condition can never hold (an empty range, globs that match no file of the
  // repository, unknown components), or nullopt. Used by `rules lint`.
  virtual std::optional<std::string> Impossible(const LintContext& /*ctx*/) const { return std::nullopt; }
  // Canonical text of the condition, e.g. "paths [infra/**]"; equal texts mean equal conditions.
  virtual std::string Describe() const = 0;
  // Calls fn on this condition and every condition inside it (for rule-set-wide indexing).
  virtual void ForEach(const std::function<void(Matcher&)>& fn) { fn(*this); }
};

// kStage: the action (or the change's rollout) must run in waves, under the rule's `rollout:`
// constraints (a first wave of at most 10% and a one-minute bake when it gives none).
enum class Effect { kAllow, kWarn, kStage, kRequireApproval, kDeny };  // ordered by severity
const char* ToString(Effect e);
std::optional<Effect> ParseEffect(std::string_view s);

// Constraints a rule puts on the rollout of the change, handed to the orchestrator.
struct RolloutConstraints {
  std::optional<double> max_canary_weight;  // percent
  std::optional<int> min_bake_seconds;
  std::vector<double> stages;  // percent steps
  bool human_promotion = false;
  bool empty() const { return !max_canary_weight && !min_bake_seconds && stages.empty() && !human_promotion; }
  // The stricter of both: lower weight, longer bake, more stages, human promotion if either.
  void Merge(const RolloutConstraints& other);
  // For people: "canary at most 2% of new sessions; bake at least 10m; a person promotes".
  std::string Describe() const;
  // A staged action's first wave over `targets`: at most max_canary_weight percent of them, at
  // least one (all of them when no weight is set).
  size_t MostInFirstWave(size_t targets) const {
    if (!max_canary_weight) return targets;
    return std::max<size_t>(
        1, static_cast<size_t>(std::floor(*max_canary_weight * static_cast<double>(targets) / 100.0 + 1e-9)));
  }
};

struct Rule {
  std::string id;
  std::string description;
  std::unique_ptr<Matcher> when;
  Effect effect = Effect::kWarn;
  std::string message;
  std::vector<std::string> approvers;  // for require_approval; empty: anyone
  int min_approvals = 1;
  RolloutConstraints rollout;
  std::string file;  // where it is declared
  int line = 0;
  bool builtin = false;
};

// A coding agent that commits under its own identity (no trailer needed to recognise it).
// Patterns are name patterns (matchers::NameMatches): `*` and `?`, brackets literal, `re:` RE2.
struct AgentIdentity {
  std::string agent;                // "github-copilot", "devin", ...
  std::vector<std::string> names;   // author or committer names
  std::vector<std::string> emails;  // author or committer e-mail addresses
};

// How authors are recognised, from the rule files' `authors` section (merged across files, on
// top of the defaults; docs/rules.md lists them).
struct AuthorConfig {
  std::vector<std::string> ai_trailers;        // trailer keys (case-insensitive), e.g. "Assisted-by"
  std::vector<std::string> ai_trailer_values;  // patterns on Co-authored-by values, e.g. "*claude*"
  std::vector<std::string> ai_names;           // patterns on author/committer names and e-mails
  std::vector<std::string> ai_branches;        // patterns on the branch
  std::vector<std::string> ai_labels;
  std::vector<AgentIdentity> identities;  // agents by author, committer or co-author identity
  std::vector<std::string> bot_names;
  static AuthorConfig Defaults();
};

struct RuleSettings {
  // Share of changed files that may be unresolved before the verdict is indeterminate.
  double max_unresolved_share = 0.0;
};

struct RuleSet {
  std::vector<Rule> rules;
  AuthorConfig authors;
  RuleSettings settings;
  std::vector<std::string> files;  // rule files read
};

}  // namespace ringfence
