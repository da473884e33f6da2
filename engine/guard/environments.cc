#include "engine/guard/environments.h"

#include <algorithm>
#include <map>

#include "engine/core/civil_time.h"
#include "engine/core/yaml_doc.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

Result<Environment> ParseEnvironment(const YamlDoc& doc, const YAML::Node& name, const YAML::Node& node) {
  Environment e;
  e.name = name.Scalar();
  e.line = name.Mark().line + 1;
  if (auto s = doc.RequireMap(node, "an environment"); !s.ok()) return s.error();
  if (auto s =
          doc.CheckKeys(node, {"tier", "hosts", "kube_contexts", "cloud_profiles", "database_hosts", "paths"},
                        "an environment");
      !s.ok())
    return s.error();
  if (node["tier"]) {
    auto tier = doc.Integer(node["tier"], "tier");
    if (!tier) return tier.error();
    if (*tier < 0 || *tier > 9) return doc.ErrorAt(node["tier"], "tier is 0 (most critical) .. 9");
    e.tier = static_cast<int>(*tier);
  }
  struct Field {
    const char* key;
    std::vector<std::string>* into;
  };
  for (Field f : {Field{"hosts", &e.hosts}, Field{"kube_contexts", &e.kube_contexts},
                  Field{"cloud_profiles", &e.cloud_profiles}, Field{"database_hosts", &e.database_hosts},
                  Field{"paths", &e.paths}}) {
    if (auto s = doc.Optional(node, f.key, *f.into); !s.ok()) return s.error();
    if (node[f.key] && std::string(f.key) != "paths") {
      if (auto s = matchers::CheckNamePatterns(doc, node[f.key], *f.into); !s.ok()) return s.error();
    }
  }
  for (size_t i = 0; i < e.paths.size(); ++i) {
    auto g = PathGlob::Parse(e.paths[i]);
    if (!g) return doc.ErrorAt(node["paths"][i], g.error().message);
    e.path_globs.push_back(std::move(*g));
  }
  return e;
}

Result<ChangeFreeze> ParseFreeze(const YamlDoc& doc, const YAML::Node& n, const Environments& envs) {
  if (auto s = doc.RequireMap(n, "a freeze"); !s.ok()) return s.error();
  if (auto s = doc.CheckKeys(n, {"name", "environments", "from", "until", "reason"}, "a freeze"); !s.ok())
    return s.error();
  ChangeFreeze f;
  if (auto s = doc.Optional(n, "name", f.name); !s.ok()) return s.error();
  if (f.name.empty()) return doc.ErrorAt(n, "a freeze needs a name");
  if (auto s = doc.Optional(n, "reason", f.reason); !s.ok()) return s.error();
  if (auto s = doc.Optional(n, "environments", f.environments); !s.ok()) return s.error();
  for (size_t i = 0; i < f.environments.size(); ++i) {
    if (!envs.Find(f.environments[i]))
      return doc.ErrorAt(n["environments"].IsSequence() ? n["environments"][i] : n["environments"],
                         "'" + f.environments[i] + "' is not one of the environments declared here");
  }
  for (const char* key : {"from", "until"}) {
    if (!n[key]) return doc.ErrorAt(n, std::string("a freeze needs `") + key + "` (an RFC 3339 time)");
    auto text = doc.String(n[key], key);
    if (!text) return text.error();
    auto ms = ParseRfc3339Ms(*text);
    if (!ms)
      return doc.ErrorAt(
          n[key], std::string(key) + " is not an RFC 3339 time with its offset (2026-12-18T17:00:00Z)");
    (std::string(key) == "from" ? f.from_unix_ms : f.until_unix_ms) = *ms;
  }
  if (f.until_unix_ms <= f.from_unix_ms) return doc.ErrorAt(n["until"], "the freeze ends before it begins");
  return f;
}

// The environments of `root`: a whole file (with its header) or a mapping embedded in another
// document (a replay scenario's action).
Result<Environments> Parse(const YamlDoc& doc, const YAML::Node& root, const std::string& path, bool file) {
  Environments out;
  out.path = path;
  if (file) {
    if (auto s = doc.CheckHeader("Environments"); !s.ok()) return s.error();
  }
  auto keys = file ? doc.CheckKeys(root,
                                   {"apiVersion", "kind", "default", "unlisted", "environments", "fleets",
                                    "protected", "recoverable", "freezes"},
                                   "the environments file")
                   : doc.CheckKeys(root,
                                   {"default", "unlisted", "environments", "fleets", "protected",
                                    "recoverable", "freezes"},
                                   "environments");
  if (!keys.ok()) return keys.error();
  if (auto s = doc.Optional(root, "default", out.default_environment); !s.ok()) return s.error();
  if (auto s = doc.Optional(root, "unlisted", out.unlisted); !s.ok()) return s.error();
  if (auto s = doc.Optional(root, "protected", out.protected_resources); !s.ok()) return s.error();
  if (auto s = doc.Optional(root, "recoverable", out.recoverable); !s.ok()) return s.error();
  if (root["recoverable"]) {
    if (auto s = matchers::CheckNamePatterns(doc, root["recoverable"], out.recoverable); !s.ok())
      return s.error();
  }
  if (root["protected"]) {
    if (auto s = matchers::CheckNamePatterns(doc, root["protected"], out.protected_resources); !s.ok())
      return s.error();
  }
  if (const YAML::Node& envs = root["environments"]) {
    if (auto s = doc.RequireMap(envs, "environments"); !s.ok()) return s.error();
    for (const auto& kv : envs) {
      auto e = ParseEnvironment(doc, kv.first, kv.second);
      if (!e) return e.error();
      if (e->name.empty()) return doc.ErrorAt(kv.first, "an environment needs a name");
      if (out.Find(e->name)) return doc.ErrorAt(kv.first, "environment '" + e->name + "' is declared twice");
      out.environments.push_back(std::move(*e));
    }
  }
  for (const std::string* name : {&out.default_environment, &out.unlisted}) {
    if (!name->empty() && !out.Find(*name))
      return doc.ErrorAt(root[name == &out.unlisted ? "unlisted" : "default"],
                         "'" + *name + "' is not one of the environments declared here");
  }
  if (const YAML::Node& fleets = root["fleets"]) {
    if (auto s = doc.RequireMap(fleets, "fleets"); !s.ok()) return s.error();
    for (const auto& kv : fleets) {
      Fleet f;
      f.name = kv.first.Scalar();
      for (const auto& other : out.fleets) {
        if (other.name == f.name) return doc.ErrorAt(kv.first, "fleet '" + f.name + "' is declared twice");
      }
      const YAML::Node& n = kv.second;
      if (auto s = doc.RequireMap(n, "a fleet"); !s.ok()) return s.error();
      if (auto s = doc.CheckKeys(n, {"environment", "size", "floor", "members"}, "a fleet"); !s.ok())
        return s.error();
      if (auto s = doc.Optional(n, "environment", f.environment); !s.ok()) return s.error();
      if (!f.environment.empty() && !out.Find(f.environment))
        return doc.ErrorAt(n["environment"],
                           "'" + f.environment + "' is not one of the environments declared here");
      for (const char* key : {"size", "floor"}) {
        if (!n[key]) return doc.ErrorAt(n, std::string("a fleet needs `") + key + "`");
        auto v = doc.Integer(n[key], key);
        if (!v) return v.error();
        if (*v < 0 || *v > 100'000'000) return doc.ErrorAt(n[key], std::string(key) + " is out of range");
        (std::string(key) == "size" ? f.size : f.floor) = static_cast<int>(*v);
      }
      if (f.size == 0) return doc.ErrorAt(n["size"], "a fleet's size is at least 1");
      if (f.floor > f.size) return doc.ErrorAt(n["floor"], "the floor is above the fleet's size");
      if (auto s = doc.Optional(n, "members", f.members); !s.ok()) return s.error();
      if (f.members.empty()) return doc.ErrorAt(n, "a fleet needs `members` (patterns of its targets)");
      if (auto s = matchers::CheckNamePatterns(doc, n["members"], f.members); !s.ok()) return s.error();
      out.fleets.push_back(std::move(f));
    }
  }
  if (const YAML::Node& freezes = root["freezes"]) {
    if (!freezes.IsSequence()) return doc.ErrorAt(freezes, "freezes is a list");
    for (const auto& n : freezes) {
      auto f = ParseFreeze(doc, n, out);
      if (!f) return f.error();
      out.freezes.push_back(std::move(*f));
    }
  }
  return out;
}

const std::vector<std::string>& PatternsFor(const Environment& e, PlaceKind kind) {
  switch (kind) {
    case PlaceKind::kHost:
      return e.hosts;
    case PlaceKind::kKubeContext:
      return e.kube_contexts;
    case PlaceKind::kCloudProfile:
      return e.cloud_profiles;
    case PlaceKind::kDatabaseHost:
      return e.database_hosts;
    case PlaceKind::kLocal:
    case PlaceKind::kUnknown:
      break;
  }
  return e.paths;
}

// The most critical environment that claims the action's place (or a local target path).
const Environment* Claiming(const Environments& envs, const Action& a) {
  const Environment* best = nullptr;
  auto consider = [&](const Environment& e) {
    if (!best || e.tier < best->tier) best = &e;
  };
  for (const auto& e : envs.environments) {
    if (a.place.kind == PlaceKind::kLocal) {
      for (const auto& t : a.targets) {
        std::string p = t;
        while (p.size() > 1 && p.back() == '/') p.pop_back();
        if (!p.empty() && p[0] == '/') p = p.substr(1);
        if (!p.empty() && std::any_of(e.path_globs.begin(), e.path_globs.end(),
                                      [&](const PathGlob& g) { return g.Matches(p); }))
          consider(e);
      }
    } else if (a.place.kind != PlaceKind::kUnknown && !a.place.name.empty() &&
               matchers::NameMatches(PatternsFor(e, a.place.kind), a.place.name)) {
      consider(e);
    }
  }
  return best;
}

// A target as fleets and protection name it: without the namespace prefix ("prod:deployment/web").
std::vector<std::string> NamesOf(const std::string& target) {
  std::vector<std::string> names = {target};
  if (size_t colon = target.find(':'); colon != std::string::npos && target.find('/') > colon)
    names.push_back(target.substr(colon + 1));
  return names;
}

}  // namespace

const Environment* Environments::Find(std::string_view name) const {
  for (const auto& e : environments) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Result<Environments> ParseEnvironments(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&]() -> Result<Environments> {
    auto doc = YamlDoc::Parse(text, path);
    if (!doc) return doc.error();
    return Parse(*doc, doc->root(), path, true);
  });
}

Result<Environments> ParseEnvironmentsIn(const YamlDoc& doc, const YAML::Node& node,
                                         const std::string& where) {
  return Parse(doc, node, where, false);
}

void ClassifyActions(const Environments& envs, std::vector<Action>& actions) {
  for (Action& a : actions) {
    const Environment* e = Claiming(envs, a);
    if (!e && a.place.kind != PlaceKind::kUnknown)
      e = envs.Find(a.place.kind == PlaceKind::kLocal ? envs.default_environment : envs.unlisted);
    a.environment = e ? e->name : "";
    a.tier = e ? e->tier : -1;
    if (a.opaque) {
      a.reversible = Tristate::kUnknown;
    } else if (a.removes && a.reversible != Tristate::kTrue) {
      auto recoverable = [&](const std::string& name) {
        return matchers::NameMatches(envs.recoverable, name);
      };
      // Recoverable where its place is (a database host with backups), or every target is.
      bool back =
          (!a.place.name.empty() && recoverable(a.place.name)) ||
          (!a.targets.empty() && std::all_of(a.targets.begin(), a.targets.end(), [&](const std::string& t) {
            auto names = NamesOf(t);
            return std::any_of(names.begin(), names.end(), recoverable);
          }));
      if (back) {
        a.reversible = Tristate::kTrue;
        a.reversible_why = "recoverable (" + envs.path + ")";
      }
    }
    if (!a.removes) continue;
    for (const auto& t : a.targets) {
      for (const auto& name : NamesOf(t)) {
        if (matchers::NameMatches(envs.protected_resources, name)) {
          a.breaches.push_back({Invariant::kProtectedRemoved, name + " is protected (" + envs.path + ")"});
          break;
        }
      }
    }
  }
  // Capacity: what all removing actions together take from each fleet.
  for (const Fleet& f : envs.fleets) {
    std::map<std::string, Action*> removed;  // member -> the action that removes it
    for (Action& a : actions) {
      if (!a.removes || (!f.environment.empty() && a.environment != f.environment && !a.environment.empty()))
        continue;
      for (const auto& t : a.targets) {
        for (const auto& name : NamesOf(t)) {
          if (matchers::NameMatches(f.members, name)) {
            removed.emplace(name, &a);
            break;
          }
        }
      }
    }
    if (removed.empty()) continue;
    int left = f.size - static_cast<int>(removed.size());
    double fraction = std::min(1.0, static_cast<double>(removed.size()) / f.size);
    for (auto& [name, a] : removed) {
      a->fleet_fraction = std::max(a->fleet_fraction.value_or(0.0), fraction);
      if (left < f.floor &&
          std::none_of(a->breaches.begin(), a->breaches.end(), [&](const InvariantBreach& b) {
            return b.invariant == Invariant::kBelowCapacityFloor && b.detail.find("fleet " + f.name) == 0;
          }))
        a->breaches.push_back({Invariant::kBelowCapacityFloor,
                               "fleet " + f.name + " would keep " + std::to_string(std::max(left, 0)) +
                                   " of " + std::to_string(f.size) + ", below its floor of " +
                                   std::to_string(f.floor)});
    }
  }
}

void MarkFrozen(const Environments& envs, int64_t now_unix_ms, std::vector<Action>& actions) {
  for (Action& a : actions) {
    a.frozen = Tristate::kFalse;
    for (const ChangeFreeze& f : envs.freezes) {
      if (now_unix_ms < f.from_unix_ms || now_unix_ms >= f.until_unix_ms) continue;
      Tristate here =
          f.environments.empty()  ? Tristate::kTrue
          : a.environment.empty() ? Tristate::kUnknown
          : std::find(f.environments.begin(), f.environments.end(), a.environment) != f.environments.end()
              ? Tristate::kTrue
              : Tristate::kFalse;
      if (here == Tristate::kTrue || (here == Tristate::kUnknown && a.frozen == Tristate::kFalse)) {
        a.frozen = here;
        a.freeze = f.name + (f.reason.empty() ? "" : ": " + f.reason);
      }
      if (here == Tristate::kTrue) break;
    }
  }
}

}  // namespace ringfence
