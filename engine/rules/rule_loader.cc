#include "engine/rules/rule_loader.h"

#include "engine/core/duration.h"

#include <map>

#include "engine/core/yaml_doc.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

Status AppendList(const YamlDoc& doc, const YAML::Node& node, const char* what,
                  std::vector<std::string>& out) {
  auto list = doc.StringList(node, what);
  if (!list) return list.error();
  if (auto st = matchers::CheckNamePatterns(doc, node, *list); !st) return st;
  out.insert(out.end(), list->begin(), list->end());
  return Status::Ok();
}

Status ParseIdentities(const YamlDoc& doc, const YAML::Node& node, std::vector<AgentIdentity>& out) {
  if (!node.IsSequence()) return doc.ErrorAt(node, "identities must be a list of {agent, names, emails}");
  for (const auto& item : node) {
    if (auto st = doc.CheckKeys(item, {"agent", "names", "emails"}, "an identity"); !st) return st;
    if (!item["agent"]) return doc.ErrorAt(item, "an identity needs `agent`");
    auto agent = doc.String(item["agent"], "agent");
    if (!agent) return agent.error();
    AgentIdentity id{*agent, {}, {}};
    if (item["names"]) {
      if (auto st = AppendList(doc, item["names"], "names", id.names); !st) return st;
    }
    if (item["emails"]) {
      if (auto st = AppendList(doc, item["emails"], "emails", id.emails); !st) return st;
    }
    if (id.names.empty() && id.emails.empty()) return doc.ErrorAt(item, "an identity needs names or emails");
    out.push_back(std::move(id));
  }
  return Status::Ok();
}

Status ParseAuthors(const YamlDoc& doc, const YAML::Node& node, AuthorConfig& cfg) {
  if (auto st = doc.CheckKeys(node, {"ai", "bots"}, "authors"); !st) return st;
  if (const YAML::Node ai = node["ai"]) {
    if (auto st = doc.CheckKeys(
            ai, {"trailers", "trailer_values", "names", "branches", "labels", "identities"}, "authors.ai");
        !st) {
      return st;
    }
    for (const auto& kv : ai) {
      const std::string& k = kv.first.Scalar();
      if (k == "identities") {
        if (auto st = ParseIdentities(doc, kv.second, cfg.identities); !st) return st;
        continue;
      }
      auto& out = k == "trailers"         ? cfg.ai_trailers
                  : k == "trailer_values" ? cfg.ai_trailer_values
                  : k == "names"          ? cfg.ai_names
                  : k == "branches"       ? cfg.ai_branches
                                          : cfg.ai_labels;
      if (auto st = AppendList(doc, kv.second, k.c_str(), out); !st) return st;
    }
  }
  if (const YAML::Node bots = node["bots"]) {
    if (auto st = doc.CheckKeys(bots, {"names"}, "authors.bots"); !st) return st;
    if (bots["names"]) {
      if (auto st = AppendList(doc, bots["names"], "names", cfg.bot_names); !st) return st;
    }
  }
  return Status::Ok();
}

Result<RolloutConstraints> ParseRollout(const YamlDoc& doc, const YAML::Node& node) {
  if (auto st =
          doc.CheckKeys(node, {"max_canary_weight", "min_bake", "stages", "human_promotion"}, "rollout");
      !st) {
    return st.error();
  }
  RolloutConstraints c;
  auto percent = [&](const YAML::Node& n, const char* what) -> Result<double> {
    if (!n.IsScalar()) return doc.ErrorAt(n, std::string(what) + " must be a percentage");
    try {
      size_t used = 0;
      double v = std::stod(n.Scalar(), &used);
      if (used == n.Scalar().size() && v > 0 && v <= 100) return v;
    } catch (const std::exception&) {
    }
    return doc.ErrorAt(n, std::string(what) + " must be a percentage in (0, 100], not '" + n.Scalar() + "'");
  };
  if (node["max_canary_weight"]) {
    auto w = percent(node["max_canary_weight"], "max_canary_weight");
    if (!w) return w.error();
    c.max_canary_weight = *w;
  }
  if (node["min_bake"]) {
    auto s = doc.String(node["min_bake"], "min_bake");
    if (!s) return s.error();
    auto secs = ParseDuration(*s);
    if (!secs)
      return doc.ErrorAt(node["min_bake"], "min_bake must be a duration like 90s, 30m, 2h, not '" + *s + "'");
    c.min_bake_seconds = *secs;
  }
  if (node["stages"]) {
    if (!node["stages"].IsSequence())
      return doc.ErrorAt(node["stages"], "stages must be a list of percentages");
    double last = 0;
    for (const auto& st : node["stages"]) {
      auto w = percent(st, "stage");
      if (!w) return w.error();
      if (*w <= last) return doc.ErrorAt(st, "stages must increase");
      last = *w;
      c.stages.push_back(*w);
    }
  }
  if (auto st = doc.Optional(node, "human_promotion", c.human_promotion); !st) return st.error();
  return c;
}

Status ParseFile(const SourceFile& file, RuleSet& set, std::map<std::string, std::string>& seen) {
  auto doc = YamlDoc::Parse(file.text, file.path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (root.IsNull()) return Error::InvalidInput(Position(file.path, 1) + "empty rule file");
  if (auto st = doc->CheckKeys(root, {"apiVersion", "kind", "authors", "settings", "rules"}, "a rule file");
      !st) {
    return st;
  }
  if (auto st = doc->CheckHeader("Rules", true); !st) return st;
  if (root["authors"]) {
    if (auto st = ParseAuthors(*doc, root["authors"], set.authors); !st) return st;
  }
  if (const YAML::Node settings = root["settings"]) {
    if (auto st = doc->CheckKeys(settings, {"max_unresolved_share"}, "settings"); !st) return st;
    if (settings["max_unresolved_share"]) {
      const YAML::Node& n = settings["max_unresolved_share"];
      double v = -1;
      try {
        v = std::stod(n.IsScalar() ? n.Scalar() : "x");
      } catch (const std::exception&) {
      }
      if (v < 0 || v > 1) return doc->ErrorAt(n, "max_unresolved_share must be between 0 and 1");
      set.settings.max_unresolved_share = v;
    }
  }
  const YAML::Node rules = root["rules"];
  if (!rules) return Status::Ok();
  if (!rules.IsSequence()) return doc->ErrorAt(rules, "rules must be a list");
  for (const auto& item : rules) {
    if (auto st = doc->CheckKeys(
            item, {"id", "description", "when", "effect", "message", "approvers", "min_approvals", "rollout"},
            "a rule");
        !st) {
      return st;
    }
    Rule r;
    r.file = file.path;
    r.line = item.Mark().line + 1;
    if (!item["id"]) return doc->ErrorAt(item, "rule without an id");
    auto id = doc->String(item["id"], "id");
    if (!id) return id.error();
    if (id->empty() || id->find_first_of(" \t\n") != std::string::npos) {
      return doc->ErrorAt(item["id"], "rule ids are non-empty words (letters, digits, - _ .)");
    }
    if (seen.count(*id))
      return doc->ErrorAt(item["id"], "duplicate rule id '" + *id + "' (first at " + seen[*id] + ")");
    seen[*id] = file.path + ":" + std::to_string(r.line);
    r.id = *id;
    if (!item["when"]) return doc->ErrorAt(item, "rule '" + r.id + "' has no `when` condition");
    auto when = ParseCondition(*doc, item["when"]);
    if (!when) return when.error();
    r.when = std::move(*when);
    if (!item["effect"]) return doc->ErrorAt(item, "rule '" + r.id + "' has no effect");
    auto effect_text = doc->String(item["effect"], "effect");
    if (!effect_text) return effect_text.error();
    auto effect = ParseEffect(*effect_text);
    if (!effect) {
      return doc->ErrorAt(
          item["effect"],
          "effect must be allow, warn, stage, require_approval or deny, not '" + *effect_text + "'");
    }
    r.effect = *effect;
    for (const char* k : {"description", "message"}) {
      if (!item[k]) continue;
      auto s = doc->String(item[k], k);
      if (!s) return s.error();
      (std::string(k) == "description" ? r.description : r.message) = *s;
    }
    if (item["approvers"]) {
      if (auto st = AppendList(*doc, item["approvers"], "approvers", r.approvers); !st) return st;
    }
    if (item["min_approvals"]) {
      auto n = doc->Integer(item["min_approvals"], "min_approvals");
      if (!n) return n.error();
      if (*n < 1 || *n > 100) return doc->ErrorAt(item["min_approvals"], "min_approvals must be 1..100");
      r.min_approvals = static_cast<int>(*n);
    }
    if ((item["approvers"] || item["min_approvals"]) && r.effect != Effect::kRequireApproval) {
      return doc->ErrorAt(item, "approvers and min_approvals only go with effect require_approval");
    }
    if (item["rollout"]) {
      auto c = ParseRollout(*doc, item["rollout"]);
      if (!c) return c.error();
      r.rollout = *c;
    }
    if (r.effect == Effect::kStage && r.rollout.empty()) {
      r.rollout.max_canary_weight = 10;
      r.rollout.min_bake_seconds = 60;
    }
    set.rules.push_back(std::move(r));
  }
  return Status::Ok();
}

}  // namespace

std::optional<int> ParseDuration(std::string_view text) {
  auto ms = ParseDurationMs(text);
  if (!ms || *ms % 1000 != 0) return std::nullopt;  // rule files speak whole seconds
  return static_cast<int>(*ms / 1000);
}

Result<RuleSet> LoadRules(const std::vector<SourceFile>& files) {
  RuleSet set;
  set.authors = AuthorConfig::Defaults();
  std::map<std::string, std::string> seen;
  for (const auto& f : files) {
    auto st = GuardYaml(f.path, [&]() -> Result<bool> {
      if (auto s = ParseFile(f, set, seen); !s) return s.error();
      return true;
    });
    if (!st) return st.error();
    set.files.push_back(f.path);
  }
  IndexContentMatchers(set);
  return set;
}

}  // namespace ringfence
