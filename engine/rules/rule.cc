#include "engine/rules/rule.h"

#include <cstdio>

#include "engine/core/duration.h"

#include <algorithm>

namespace ringfence {

const char* ToString(Effect e) {
  switch (e) {
    case Effect::kAllow:
      return "allow";
    case Effect::kWarn:
      return "warn";
    case Effect::kStage:
      return "stage";
    case Effect::kRequireApproval:
      return "require_approval";
    case Effect::kDeny:
      return "deny";
  }
  return "unknown";
}

std::optional<Effect> ParseEffect(std::string_view s) {
  for (Effect e : {Effect::kAllow, Effect::kWarn, Effect::kStage, Effect::kRequireApproval, Effect::kDeny}) {
    if (s == ToString(e)) return e;
  }
  return std::nullopt;
}

const char* ToString(AuthorKind kind) {
  switch (kind) {
    case AuthorKind::kHuman:
      return "human";
    case AuthorKind::kBot:
      return "bot";
    case AuthorKind::kAi:
      return "ai";
  }
  return "unknown";
}

std::optional<AuthorKind> AuthorKindNamed(std::string_view text) {
  for (AuthorKind k : {AuthorKind::kHuman, AuthorKind::kBot, AuthorKind::kAi}) {
    if (text == ToString(k)) return k;
  }
  return std::nullopt;
}

const char* ToString(DependencyBump::Level level) {
  switch (level) {
    case DependencyBump::Level::kMajor:
      return "major";
    case DependencyBump::Level::kMinor:
      return "minor";
    case DependencyBump::Level::kPatch:
      return "patch";
    case DependencyBump::Level::kAdded:
      return "added";
    case DependencyBump::Level::kRemoved:
      return "removed";
    case DependencyBump::Level::kOther:
      return "other";
  }
  return "other";
}

void RolloutConstraints::Merge(const RolloutConstraints& o) {
  if (o.max_canary_weight) {
    max_canary_weight =
        max_canary_weight ? std::min(*max_canary_weight, *o.max_canary_weight) : *o.max_canary_weight;
  }
  if (o.min_bake_seconds) {
    min_bake_seconds =
        min_bake_seconds ? std::max(*min_bake_seconds, *o.min_bake_seconds) : *o.min_bake_seconds;
  }
  if (o.stages.size() > stages.size()) stages = o.stages;
  human_promotion = human_promotion || o.human_promotion;
}

std::string RolloutConstraints::Describe() const {
  auto percent = [](double w) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", w);
    return std::string(buf);
  };
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  if (max_canary_weight) add("canary at most " + percent(*max_canary_weight) + " of new sessions");
  if (min_bake_seconds)
    add("bake at least " + FormatDurationMs(int64_t{*min_bake_seconds} * 1000) + " per step");
  if (!stages.empty()) {
    std::string s = "stages";
    for (size_t i = 0; i < stages.size(); ++i) s += (i ? ", " : " ") + percent(stages[i]);
    add(s);
  }
  if (human_promotion) add("a person promotes");
  return out.empty() ? "none" : out;
}

AuthorConfig AuthorConfig::Defaults() {
  AuthorConfig c;
  c.ai_trailers = {"Assisted-by", "Generated-by", "AI-Agent", "X-AI-Agent"};
  c.ai_trailer_values = {"*copilot*", "*claude*", "*codex*",  "*devin*", "*cursor*",
                         "*gemini*",  "*agent*",  "*openai*", "*aider*"};
  c.ai_names = {"*copilot*", "*coding-agent*", "*codex*", "*devin-ai*", "*claude*"};
  c.ai_branches = {"ai/*", "agent/*", "copilot/*", "codex/*", "devin/*", "claude/*", "cursor/*"};
  c.ai_labels = {"ai-authored", "ai-generated"};
  // Agents that commit under their own identity. GitHub's noreply form is
  // "<id>+<login>@users.noreply.github.com".
  auto bot = [](const std::string& login) {
    return std::vector<std::string>{login, "*+" + login + "@users.noreply.github.com",
                                    login + "@users.noreply.github.com"};
  };
  auto join = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  c.identities = {
      {"github-copilot",
       {"Copilot", "copilot-swe-agent[bot]", "copilot[bot]", "github-copilot[bot]"},
       join(join(bot("Copilot"), bot("copilot-swe-agent[bot]")), bot("copilot[bot]"))},
      {"devin",
       {"devin-ai-integration[bot]", "Devin AI", "Devin"},
       join(bot("devin-ai-integration[bot]"), {"*@devin.ai"})},
      {"openai-codex",
       {"chatgpt-codex-connector[bot]", "Codex", "codex-bot"},
       join(bot("chatgpt-codex-connector[bot]"), {"codex@openai.com", "*@openai.com"})},
      {"google-jules", {"google-labs-jules[bot]", "Jules"}, bot("google-labs-jules[bot]")},
      {"amazon-q", {"amazon-q-developer[bot]", "Amazon Q Developer"}, bot("amazon-q-developer[bot]")},
      {"cursor",
       {"cursor[bot]", "Cursor Agent", "Cursor"},
       join(bot("cursor[bot]"), {"cursoragent@cursor.com"})},
      {"claude",
       {"claude[bot]", "Claude", "Claude Code"},
       join(bot("claude[bot]"), {"noreply@anthropic.com"})},
      {"gemini", {"gemini-code-assist[bot]", "Gemini"}, bot("gemini-code-assist[bot]")},
  };
  c.bot_names = {"*[bot]", "*-bot", "dependabot*", "renovate*", "github-actions*"};
  return c;
}

}  // namespace ringfence
