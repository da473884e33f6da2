#include "engine/guard/staged_action.h"

#include <cmath>
#include <set>

#include "engine/core/duration.h"
#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

// The {names} a template uses; false for a '{' that opens no name or a name never closed.
bool NamesIn(const std::string& text, std::set<std::string>& names) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    if (i + 1 < text.size() && text[i + 1] == '{') {
      ++i;
      continue;
    }
    size_t end = text.find('}', i);
    if (end == std::string::npos || end == i + 1) return false;
    std::string name = text.substr(i + 1, end - i - 1);
    for (char c : name) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
    }
    names.insert(name);
    i = end;
  }
  return true;
}

Status CheckTemplates(const YamlDoc& doc, const YAML::Node& node, const std::vector<std::string>& texts,
                      const std::vector<StagedTarget>& targets) {
  std::set<std::string> names;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (!NamesIn(texts[i], names))
      return doc.ErrorAt(node.IsSequence() ? node[i] : node,
                         "'" + texts[i] + "': a { opens no {name} (write {{ for a literal {)");
  }
  for (const auto& name : names) {
    for (const auto& t : targets) {
      if (!t.vars.count(name))
        return doc.ErrorAt(node, "{" + name + "} is not a variable of target '" + t.id + "'");
    }
  }
  return Status::Ok();
}

Result<std::vector<size_t>> ParseWaves(const YamlDoc& doc, const YAML::Node& node, size_t targets) {
  if (!node.IsSequence() || node.size() == 0)
    return doc.ErrorAt(node, "waves is a list of cumulative counts or percentages (e.g. [1, 25%, 100%])");
  std::vector<size_t> out;
  for (const auto& w : node) {
    auto text = doc.String(w, "a wave");
    if (!text) return text.error();
    size_t upto = 0;
    bool percent = !text->empty() && text->back() == '%';
    std::string digits = percent ? text->substr(0, text->size() - 1) : *text;
    char* end = nullptr;
    double v = std::strtod(digits.c_str(), &end);
    if (digits.empty() || end != digits.c_str() + digits.size() || !std::isfinite(v) || v <= 0 ||
        (percent && v > 100) || (!percent && v != std::floor(v)))
      return doc.ErrorAt(
          w, "a wave is a positive count of targets or a percentage up to 100%, not '" + *text + "'");
    upto = percent ? static_cast<size_t>(std::ceil(v * static_cast<double>(targets) / 100.0 - 1e-9))
                   : static_cast<size_t>(v);
    if (upto > targets)
      return doc.ErrorAt(
          w, "the wave reaches " + std::to_string(upto) + " targets of " + std::to_string(targets));
    if (upto == 0) upto = 1;
    if (!out.empty() && upto <= out.back())
      return doc.ErrorAt(w, "waves are cumulative and grow: this one adds no target");
    out.push_back(upto);
  }
  if (out.back() != targets)
    return doc.ErrorAt(node, "the last wave reaches " + std::to_string(out.back()) + " of " +
                                 std::to_string(targets) + " targets; end with 100%");
  return out;
}

Result<int64_t> DurationAt(const YamlDoc& doc, const YAML::Node& node, const char* what) {
  auto text = doc.String(node, what);
  if (!text) return text.error();
  auto ms = ParseDurationMs(*text);
  if (!ms || *ms < 0 || *ms > 24ll * 3600 * 1000)
    return doc.ErrorAt(node, std::string(what) + " is a duration up to a day (30s, 5m), not '" + *text + "'");
  return *ms;
}

Result<StagedAction> Parse(const YamlDoc& doc, const std::string& path) {
  const YAML::Node& root = doc.root();
  if (auto s = doc.CheckHeader("StagedAction"); !s.ok()) return s.error();
  if (auto s =
          doc.CheckKeys(root, {"apiVersion", "kind", "name", "command", "targets", "waves", "bake", "check"},
                        "a staged action");
      !s.ok())
    return s.error();
  StagedAction a;
  a.path = path;
  if (auto s = doc.Optional(root, "name", a.name); !s.ok()) return s.error();
  if (a.name.empty()) return doc.ErrorAt(root, "a staged action needs a name");
  if (!root["command"]) return doc.ErrorAt(root, "a staged action needs a command (an argv list)");
  if (!root["command"].IsSequence())
    return doc.ErrorAt(root["command"], "command is an argv list, never a shell line");
  auto command = doc.StringList(root["command"], "command");
  if (!command) return command.error();
  if (command->empty() || command->front().empty())
    return doc.ErrorAt(root["command"], "the command is empty");
  a.command = *command;

  const YAML::Node& targets = root["targets"];
  if (!targets || !targets.IsSequence() || targets.size() == 0)
    return doc.ErrorAt(targets ? targets : root, "targets is a non-empty list");
  if (targets.size() > kMaxStagedTargets)
    return doc.ErrorAt(targets, "more than " + std::to_string(kMaxStagedTargets) + " targets");
  std::set<std::string> ids;
  for (const auto& t : targets) {
    StagedTarget target;
    if (t.IsScalar()) {
      target.id = t.Scalar();
    } else if (t.IsMap()) {
      std::set<std::string> keys;
      for (const auto& kv : t) {
        auto key = doc.String(kv.first, "a target variable");
        if (!key) return key.error();
        auto value = doc.String(kv.second, "a target variable");
        if (!value) return value.error();
        if (!keys.insert(*key).second)
          return doc.ErrorAt(kv.first, "the variable '" + *key + "' is there twice");
        target.vars[*key] = *value;
      }
      if (!target.vars.count("id")) return doc.ErrorAt(t, "a target given as variables needs an `id`");
      target.id = target.vars["id"];
    } else {
      return doc.ErrorAt(t, "a target is a name or a mapping of variables with an `id`");
    }
    if (target.id.empty()) return doc.ErrorAt(t, "a target's id is empty");
    if (!ids.insert(target.id).second)
      return doc.ErrorAt(t, "the target '" + target.id + "' is listed twice");
    target.vars["id"] = target.id;
    a.targets.push_back(std::move(target));
  }
  if (auto s = CheckTemplates(doc, root["command"], a.command, a.targets); !s.ok()) return s.error();

  if (root["waves"]) {
    auto waves = ParseWaves(doc, root["waves"], a.targets.size());
    if (!waves) return waves.error();
    a.waves = *waves;
  } else {
    a.waves = {a.targets.size()};  // one wave: nothing is staged (rules that ask for stages refuse it)
  }
  if (root["bake"]) {
    auto bake = DurationAt(doc, root["bake"], "bake");
    if (!bake) return bake.error();
    a.bake_ms = *bake;
  }
  if (const YAML::Node& check = root["check"]) {
    if (auto s = doc.RequireMap(check, "check"); !s.ok()) return s.error();
    if (auto s = doc.CheckKeys(check, {"http", "command", "timeout", "failures_allowed"}, "a check"); !s.ok())
      return s.error();
    if (check["http"] && check["command"]) return doc.ErrorAt(check, "a check is http or command, not both");
    if (check["http"]) {
      a.check.kind = HealthCheckKind::kHttp;
      if (auto s = doc.Optional(check, "http", a.check.url); !s.ok()) return s.error();
      if (a.check.url.rfind("http://", 0) != 0 && a.check.url.rfind("https://", 0) != 0)
        return doc.ErrorAt(check["http"], "the check's URL is http:// or https://");
      if (auto s = CheckTemplates(doc, check["http"], {a.check.url}, a.targets); !s.ok()) return s.error();
    } else if (check["command"]) {
      a.check.kind = HealthCheckKind::kCommand;
      if (!check["command"].IsSequence())
        return doc.ErrorAt(check["command"], "the check's command is an argv list");
      auto argv = doc.StringList(check["command"], "command");
      if (!argv) return argv.error();
      if (argv->empty() || argv->front().empty())
        return doc.ErrorAt(check["command"], "the check's command is empty");
      a.check.command = *argv;
      if (auto s = CheckTemplates(doc, check["command"], a.check.command, a.targets); !s.ok())
        return s.error();
    } else {
      return doc.ErrorAt(check, "a check needs `http` or `command`");
    }
    if (check["timeout"]) {
      auto t = DurationAt(doc, check["timeout"], "timeout");
      if (!t) return t.error();
      if (*t == 0) return doc.ErrorAt(check["timeout"], "the check's timeout is above zero");
      a.check.timeout_ms = *t;
    }
    if (check["failures_allowed"]) {
      auto n = doc.Integer(check["failures_allowed"], "failures_allowed");
      if (!n) return n.error();
      if (*n < 0 || *n > static_cast<long long>(kMaxStagedTargets))
        return doc.ErrorAt(check["failures_allowed"], "failures_allowed is a count of targets");
      a.check.failures_allowed = static_cast<int>(*n);
    }
  }
  return a;
}

}  // namespace

Result<StagedAction> ParseStagedAction(std::string_view yaml_text, const std::string& path) {
  return GuardYaml(path, [&]() -> Result<StagedAction> {
    auto doc = YamlDoc::Parse(yaml_text, path);
    if (!doc) return doc.error();
    return Parse(*doc, path);
  });
}

std::string Expand(const std::string& text, const StagedTarget& target) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t end = text[i] == '{' ? text.find('}', i) : std::string::npos;
    if (end != std::string::npos) {
      auto it = target.vars.find(text.substr(i + 1, end - i - 1));
      if (it != target.vars.end()) {
        out += it->second;
        i = end;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string> Expand(const std::vector<std::string>& argv, const StagedTarget& target) {
  std::vector<std::string> out;
  for (const auto& a : argv) out.push_back(Expand(a, target));
  return out;
}

}  // namespace ringfence
