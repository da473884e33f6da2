#include "engine/rules/rule_fixture.h"

#include <algorithm>

#include "engine/core/civil_time.h"
#include "engine/core/yaml_doc.h"
#include "engine/image/cvss.h"
#include "engine/rules/dependency_bumps.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

std::string Resolve(const std::string& fixture, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return rel;
  std::string dir(DirName(fixture));
  std::string out;
  if (!JoinPath(dir, rel, out)) return rel;
  return fixture[0] == '/' ? "/" + out : out;
}

Result<std::optional<ChangeStatus>> StatusOf(const YamlDoc& doc, const YAML::Node& n) {
  for (auto s :
       {ChangeStatus::kAdded, ChangeStatus::kModified, ChangeStatus::kDeleted, ChangeStatus::kRenamed,
        ChangeStatus::kCopied, ChangeStatus::kTypeChanged, ChangeStatus::kModeChanged}) {
    if (n.IsScalar() && n.Scalar() == ToString(s)) return std::optional<ChangeStatus>(s);
  }
  return doc.ErrorAt(n, "unknown status");
}

Status ParseFile(const YamlDoc& doc, const YAML::Node& n, ChangeFacts& facts) {
  if (auto st =
          doc.CheckKeys(n,
                        {"path", "old_path", "status", "added", "deleted", "binary", "components",
                         "added_lines", "uninspectable", "encoding", "symlink_target", "target_components"},
                        "a fixture file");
      !st) {
    return st;
  }
  FileChange f;
  if (!n["path"]) return doc.ErrorAt(n, "a fixture file needs a path");
  auto path = doc.String(n["path"], "path");
  if (!path) return path.error();
  f.path = *path;
  f.old_path = f.path;
  if (auto st = doc.Optional(n, "old_path", f.old_path); !st) return st.error();
  if (n["status"]) {
    auto s = StatusOf(doc, n["status"]);
    if (!s) return s.error();
    f.status = **s;
  }
  if (auto st = doc.Optional(n, "binary", f.binary); !st) return st.error();
  for (auto [k, into] : {std::pair<const char*, std::string*>{"uninspectable", &f.uninspectable},
                         {"encoding", &f.encoding},
                         {"symlink_target", &f.symlink_target}}) {
    if (!n[k]) continue;
    auto v = doc.String(n[k], k);
    if (!v) return v.error();
    *into = *v;
  }
  f.new_mode = f.symlink_target.empty() ? 0100644 : 0120000;
  if (!f.uninspectable.empty()) f.binary = true;
  if (n["target_components"]) {  // what a symlink points into: [{name, tier}]
    if (f.symlink_target.empty())
      return doc.ErrorAt(n["target_components"], "target_components needs symlink_target");
    if (!n["target_components"].IsSequence())
      return doc.ErrorAt(n["target_components"], "target_components must be a list");
    for (const auto& c : n["target_components"]) {
      if (auto st = doc.CheckKeys(c, {"name", "tier"}, "a target component"); !st) return st;
      auto name = doc.String(c["name"], "name");
      if (!name) return name.error();
      auto tier = c["tier"] ? doc.Integer(c["tier"], "tier") : Result<long long>(-1);
      if (!tier) return tier.error();
      facts.symlink_target_components[f.path].push_back({*name, static_cast<int>(*tier)});
    }
  }
  if (n["added_lines"]) {
    if (!n["added_lines"].IsSequence()) return doc.ErrorAt(n["added_lines"], "added_lines must be a list");
    int next = 1;
    for (const auto& l : n["added_lines"]) {
      if (l.IsScalar()) {
        f.added_lines.push_back({next++, l.Scalar()});
        continue;
      }
      if (auto st = doc.CheckKeys(l, {"line", "text"}, "an added line"); !st) return st;
      auto line = doc.Integer(l["line"], "line");
      if (!line) return line.error();
      auto text = doc.String(l["text"], "text");
      if (!text) return text.error();
      f.added_lines.push_back({static_cast<int>(*line), *text});
      next = static_cast<int>(*line) + 1;
    }
  }
  f.added = static_cast<int>(f.added_lines.size());
  for (const char* k : {"added", "deleted"}) {
    if (!n[k]) continue;
    auto v = doc.Integer(n[k], k);
    if (!v) return v.error();
    if (*v < 0) return doc.ErrorAt(n[k], std::string(k) + " must not be negative");
    (std::string(k) == "added" ? f.added : f.deleted) = static_cast<int>(*v);
  }
  if (n["components"]) {
    auto comps = doc.StringList(n["components"], "components");
    if (!comps) return comps.error();
    for (const auto& c : *comps) {
      AffectedNode a{"component:" + c, NodeKind::kComponent, 1,
                     ScopeStep{f.path, "component:" + c, Relation::kBelongsTo, "", "", ""}};
      facts.scope.affected.push_back(a);
    }
  }
  facts.scope.affected.push_back({f.path, NodeKind::kFile, 0, std::nullopt});
  facts.scope.changes.files.push_back(std::move(f));
  return Status::Ok();
}

}  // namespace

Status ParseChangeFacts(const YamlDoc& doc, const YAML::Node& n, ChangeFacts& facts,
                        std::vector<std::string>& approved_by) {
  if (auto st = doc.CheckKeys(n,
                              {"branch", "labels", "approved_by", "intent", "commits", "files", "components",
                               "owners", "affected_files", "unresolved", "bumps", "images"},
                              "a fixture change");
      !st) {
    return st;
  }
  if (auto st = doc.Optional(n, "branch", facts.branch); !st) return st.error();
  for (auto [k, into] : {std::pair<const char*, std::vector<std::string>*>{"labels", &facts.labels},
                         {"approved_by", &approved_by},
                         {"owners", nullptr},
                         {"unresolved", &facts.scope.unresolved}}) {
    if (!n[k]) continue;
    auto list = doc.StringList(n[k], k);
    if (!list) return list.error();
    if (into) {
      *into = *list;
    } else {
      for (const auto& o : *list) facts.scope.owners.push_back({o, 1, "fixture"});
    }
  }
  if (n["intent"]) {
    const YAML::Node& i = n["intent"];
    if (auto st = doc.CheckKeys(i, {"components", "paths"}, "intent"); !st) return st;
    facts.intent.declared = true;
    facts.intent.source = "fixture";
    for (const char* k : {"components", "paths"}) {
      if (!i[k]) continue;
      auto list = doc.StringList(i[k], k);
      if (!list) return list.error();
      (std::string(k) == "components" ? facts.intent.components : facts.intent.paths) = *list;
    }
  }
  if (n["commits"]) {
    if (!n["commits"].IsSequence()) return doc.ErrorAt(n["commits"], "commits must be a list");
    int k = 0;
    for (const auto& cm : n["commits"]) {
      if (auto st = doc.CheckKeys(cm, {"author", "committer", "message"}, "a commit"); !st) return st;
      CommitInfo info;
      info.id = "fixture" + std::to_string(k++);
      auto person = [&](const char* key, std::string& name, std::string& email) -> Status {
        if (!cm[key]) return Status::Ok();
        auto s = doc.String(cm[key], key);
        if (!s) return s.error();
        size_t lt = s->find('<');
        name = lt == std::string::npos ? *s : s->substr(0, s->find_last_not_of(' ', lt - 1) + 1);
        if (lt != std::string::npos) email = s->substr(lt + 1, s->find('>', lt) - lt - 1);
        return Status::Ok();
      };
      if (auto st = person("author", info.author_name, info.author_email); !st) return st;
      if (auto st = person("committer", info.committer_name, info.committer_email); !st) return st;
      if (auto st = doc.Optional(cm, "message", info.message); !st) return st.error();
      facts.scope.changes.commits.push_back(std::move(info));
    }
  }
  if (n["files"]) {
    if (!n["files"].IsSequence()) return doc.ErrorAt(n["files"], "files must be a list");
    for (const auto& f : n["files"]) {
      if (auto st = ParseFile(doc, f, facts); !st) return st;
    }
  }
  if (n["components"]) {
    if (!n["components"].IsSequence()) return doc.ErrorAt(n["components"], "components must be a list");
    for (const auto& cn : n["components"]) {
      if (auto st =
              doc.CheckKeys(cn, {"name", "tier", "distance", "global_channel", "changed"}, "a component");
          !st) {
        return st;
      }
      AffectedComponent ac;
      auto name = doc.String(cn["name"], "name");
      if (!name) return name.error();
      ac.name = *name;
      ac.distance = 1;
      for (const char* k : {"tier", "distance"}) {
        if (!cn[k]) continue;
        auto v = doc.Integer(cn[k], k);
        if (!v) return v.error();
        (std::string(k) == "tier" ? ac.tier : ac.distance) = static_cast<int>(*v);
      }
      ac.changed_directly = ac.distance == 1;
      for (const char* k : {"global_channel", "changed"}) {
        if (!cn[k]) continue;
        auto b = doc.Bool(cn[k], k);
        if (!b) return b.error();
        (std::string(k) == "global_channel" ? ac.global_channel : ac.changed_directly) = *b;
      }
      facts.scope.components.push_back(ac);
    }
  }
  if (n["affected_files"]) {
    auto v = doc.Integer(n["affected_files"], "affected_files");
    if (!v) return v.error();
    for (long long i = 0; i < *v && i < 1000000; ++i) {
      facts.scope.affected.push_back({"affected/" + std::to_string(i), NodeKind::kFile, 2, std::nullopt});
    }
  }
  if (n["bumps"]) {
    if (!n["bumps"].IsSequence()) return doc.ErrorAt(n["bumps"], "bumps must be a list");
    for (const auto& b : n["bumps"]) {
      if (auto st = doc.CheckKeys(b, {"manifest", "ecosystem", "package", "from", "to"}, "a bump"); !st)
        return st;
      DependencyBump bump;
      for (auto [k, into] : {std::pair<const char*, std::string*>{"manifest", &bump.manifest},
                             {"ecosystem", &bump.ecosystem},
                             {"package", &bump.package},
                             {"from", &bump.from},
                             {"to", &bump.to}}) {
        if (!b[k]) continue;
        auto s = doc.String(b[k], k);
        if (!s) return s.error();
        *into = *s;
      }
      bump.level = bump.from.empty() ? DependencyBump::Level::kAdded
                   : bump.to.empty() ? DependencyBump::Level::kRemoved
                                     : CompareVersions(bump.from, bump.to);
      facts.bumps.push_back(bump);
    }
  }
  if (n["images"]) {  // [{file, change: package_added|package_changed|base_changed|egress_added, subject}]
    if (!n["images"].IsSequence()) return doc.ErrorAt(n["images"], "images must be a list");
    for (const auto& i : n["images"]) {
      if (auto st = doc.CheckKeys(i, {"file", "change", "subject", "severity"}, "an image change"); !st)
        return st;
      ImageFact fact;
      std::string change;
      if (auto st = doc.Optional(i, "file", fact.file); !st) return st;
      if (auto st = doc.Optional(i, "change", change); !st) return st;
      if (auto st = doc.Optional(i, "subject", fact.subject); !st) return st;
      static const std::pair<const char*, ImageFact::Kind> kKinds[] = {
          {"package_added", ImageFact::Kind::kPackageAdded},
          {"package_changed", ImageFact::Kind::kPackageChanged},
          {"base_changed", ImageFact::Kind::kBaseChanged},
          {"egress_added", ImageFact::Kind::kEgressAdded},
          {"cve", ImageFact::Kind::kCve}};
      bool known = false;
      for (const auto& [name, kind] : kKinds)
        if (change == name) fact.kind = kind, known = true;
      if (!known)
        return doc.ErrorAt(i, "change is package_added, package_changed, base_changed, egress_added or cve");
      if (i["severity"]) {
        std::string level;
        if (auto st = doc.Optional(i, "severity", level); !st) return st;
        auto sev = ParseSeverity(level);
        if (!sev) return doc.ErrorAt(i["severity"], "severity is low, medium, high, critical or unknown");
        fact.severity = static_cast<int>(*sev);
      }
      facts.image_changes.push_back(fact);
    }
  }
  return Status::Ok();
}

namespace {

Result<Fixture> Parse(const SourceFile& file) {
  auto doc = YamlDoc::Parse(file.text, file.path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st = doc->CheckKeys(root, {"apiVersion", "kind", "rules", "waivers", "cases"}, "a rule test");
      !st) {
    return st.error();
  }
  if (auto st = doc->CheckHeader("RuleTest"); !st) return st.error();
  Fixture fx;
  fx.path = file.path;
  if (!root["rules"]) return doc->ErrorAt(root, "a rule test names its rule files: `rules: [...]`");
  auto rules = doc->StringList(root["rules"], "rules");
  if (!rules) return rules.error();
  for (const auto& r : *rules) fx.rule_files.push_back(Resolve(file.path, r));
  if (root["waivers"]) {
    auto w = doc->String(root["waivers"], "waivers");
    if (!w) return w.error();
    fx.waivers_file = Resolve(file.path, *w);
  }
  if (!root["cases"] || !root["cases"].IsSequence())
    return doc->ErrorAt(root, "a rule test needs a list of cases");
  for (const auto& cn : root["cases"]) {
    if (auto st = doc->CheckKeys(cn, {"name", "now", "change", "expect"}, "a case"); !st) return st.error();
    FixtureCase c;
    c.line = cn.Mark().line + 1;
    auto name = doc->String(cn["name"], "name");
    if (!cn["name"] || !name) return doc->ErrorAt(cn, "a case needs a name");
    c.name = *name;
    c.facts.now = std::chrono::system_clock::time_point(std::chrono::hours(24 * 20000));  // 2024-10-04
    if (cn["now"]) {
      auto at = ParseDayTime(cn["now"].IsScalar() ? cn["now"].Scalar() : "");
      if (!at) return doc->ErrorAt(cn["now"], "now must be YYYY-MM-DD[ HH:MM]");
      c.facts.now = std::chrono::system_clock::time_point(*at);
    }
    c.facts.scope.changes.base_rev = "fixture";
    c.facts.scope.changes.head_rev = c.name;
    if (cn["change"]) {
      if (auto st = ParseChangeFacts(*doc, cn["change"], c.facts, c.approved_by); !st) return st.error();
    }
    const YAML::Node ex = cn["expect"];
    if (!ex) return doc->ErrorAt(cn, "a case needs `expect: {decision: ...}`");
    if (auto st = doc->CheckKeys(ex, {"decision", "fired"}, "expect"); !st) return st.error();
    auto decision = doc->String(ex["decision"], "decision");
    if (!ex["decision"] || !decision) return doc->ErrorAt(ex, "expect needs a decision");
    if (!DecisionNamed(*decision)) {
      return doc->ErrorAt(ex["decision"],
                          "decision must be allow, warn, needs_approval, deny or indeterminate");
    }
    c.expect_decision = *decision;
    if (ex["fired"]) {
      auto fired = doc->StringList(ex["fired"], "fired");
      if (!fired) return fired.error();
      c.expect_fired = *fired;
      std::sort(c.expect_fired.begin(), c.expect_fired.end());
      c.check_fired = true;
    }
    fx.cases.push_back(std::move(c));
  }
  return fx;
}

}  // namespace

Result<Fixture> LoadFixture(const SourceFile& file) {
  return GuardYaml(file.path, [&] { return Parse(file); });
}

}  // namespace ringfence
