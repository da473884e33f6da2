#include "app/check.h"

#include <cstdio>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "app/yaml_files.h"
#include "engine/core/yaml_doc.h"
#include "engine/graph/components_file.h"
#include "engine/rules/author.h"
#include "engine/rules/dependency_bumps.h"
#include "engine/rules/image_changes.h"
#include "engine/rules/rule_loader.h"
#include "engine/scope/symlink_target.h"

namespace ringfence::app {
namespace fs = std::filesystem;
namespace {

bool IsYaml(const std::string& p) {
  return p.size() > 5 &&
         (p.compare(p.size() - 5, 5, ".yaml") == 0 || p.compare(p.size() - 4, 4, ".yml") == 0);
}

// True for an absolute path outside the repository's work tree (read from disk). Decided on the
// path as written, never by resolving symlinks: a link inside the repository is not a way out.
bool OutsideRepo(const std::string& path, const std::string& repo_path, const std::string& workdir) {
  if (path.empty() || path[0] != '/') return false;
  std::string p = fs::path(path).lexically_normal().string();
  for (std::string root : {workdir, fs::path(repo_path).lexically_normal().string()}) {
    if (root.empty()) continue;
    if (root.back() != '/') root += '/';
    if (p + "/" == root || p.rfind(root, 0) == 0) return false;
  }
  return true;
}

// Which files of a rules or waivers path are read, and as what.
enum class Wanted { kRulesAndWaivers, kWaivers };

// Reads rule or waiver files: repository paths from the base tree, absolute paths outside the
// repository from disk. Files are taken by the kind their YAML declares (RuleTest fixtures are
// skipped). A symlink anywhere in the path, or a path that holds no file, is an error.
Status ReadSources(const CheckRequest& scope, const FileReader& disk, const SourceTree& base,
                   const std::string& base_commit, const std::string& path, bool required, Wanted wanted,
                   std::vector<SourceFile>& rule_files, std::vector<SourceFile>& waiver_files,
                   std::vector<std::string>& sources) {
  std::vector<SourceFile> found;
  if (OutsideRepo(path, scope.repo_path, base.Workdir())) {
    auto files = disk.List(path);
    if (!files)
      return files.error().kind == ErrorKind::kNotFound ? Error::InvalidInput(files.error().message)
                                                        : files.error();
    bool dir = disk.IsDirectory(path);
    for (const auto& f : *files) {
      if (dir && !IsYaml(f)) continue;
      auto text = disk.Read(f);
      if (!text) return text.error();
      found.push_back({f, *text});
    }
  } else {
    std::string rel = path;
    if (rel.rfind("./", 0) == 0) rel = rel.substr(2);
    if (!rel.empty() && rel[0] == '/') rel = fs::path(rel).lexically_relative(base.Workdir()).string();
    rel = fs::path(rel).lexically_normal().string();
    while (!rel.empty() && rel.back() == '/') rel.pop_back();
    if (rel.empty() || rel == "." || rel.rfind("..", 0) == 0) {
      return Error::InvalidInput("'" + path + "' does not name a path inside the repository");
    }
    auto entries = base.EntriesUnder(rel);
    if (!entries) return entries.error();
    for (const auto& e : *entries) {
      if (e.mode == 0120000) {
        return Error::InvalidInput(e.path + " is a symlink in the base revision " +
                                   base_commit.substr(0, 12) +
                                   "; rule and waiver files are read only as regular files");
      }
      if (e.mode != 0100644 && e.mode != 0100755) continue;
      if (e.path != rel && !IsYaml(e.path)) continue;
      auto text = base.ReadPath(e.path);
      if (!text) return text.error();
      found.push_back({e.path, *text});
    }
    if (found.empty() && required) {
      return Error::InvalidInput(
          "'" + path + "' is not in the base revision " + base_commit.substr(0, 12) +
          " (rules are read from the base, so that a change cannot weaken what judges it)");
    }
  }
  for (auto& f : found) {
    auto kind = KindOfFile(f);
    if (!kind) return kind.error();
    bool take =
        *kind == YamlKind::kWaivers || (*kind == YamlKind::kRules && wanted == Wanted::kRulesAndWaivers);
    if (*kind == YamlKind::kRules && wanted == Wanted::kWaivers) {
      return Error::InvalidInput(f.path +
                                 ": a waivers path holds a rule file (kind: Rules); give it to --rules");
    }
    if (!take) continue;  // fixtures (kind: RuleTest) beside the rules
    sources.push_back(OutsideRepo(path, scope.repo_path, base.Workdir())
                          ? f.path
                          : f.path + "@" + base_commit.substr(0, 12));
    (*kind == YamlKind::kWaivers ? waiver_files : rule_files).push_back(std::move(f));
  }
  return Status::Ok();
}

Result<Intent> LoadIntent(const FileReader& disk, const std::string& file) {
  auto text = disk.Read(file);
  if (!text) return text.error();
  return GuardYaml(file, [&]() -> Result<Intent> {
    auto doc = YamlDoc::Parse(*text, file);
    if (!doc) return doc.error();
    if (auto st = doc->CheckKeys(doc->root(), {"components", "paths"}, "an intent file"); !st)
      return st.error();
    Intent intent;
    intent.declared = true;
    intent.source = file;
    for (const char* k : {"components", "paths"}) {
      if (!doc->root()[k]) continue;
      auto list = doc->StringList(doc->root()[k], k);
      if (!list) return list.error();
      (std::string(k) == "components" ? intent.components : intent.paths) = *list;
    }
    return intent;
  });
}

// The components (with tiers, by the base's classification) of what each changed symlink points to.
Status FillSymlinkTargets(const SourceTree& base, ChangeFacts& facts) {
  std::optional<ComponentsFile> comps;
  for (const auto& f : facts.scope.changes.files) {
    if (!f.IsSymlink()) continue;
    auto target = ResolveSymlinkTarget(f.path, f.symlink_target);
    if (!target) continue;
    if (!comps) {
      auto text = base.ReadPath(kComponentsPath);
      if (!text) return Status::Ok();  // no classification: no component to point into
      auto parsed = ComponentsFile::Parse(*text, kComponentsPath);
      if (!parsed) return parsed.error();
      comps = std::move(*parsed);
    }
    auto& out = facts.symlink_target_components[f.path];
    for (const std::string& p : {*target, *target + "/"}) {
      for (const auto& m : comps->Match(p)) {
        const Component& c = comps->components[static_cast<size_t>(m.component)];
        bool have = std::any_of(out.begin(), out.end(), [&](const auto& x) { return x.name == c.name; });
        if (!have) out.push_back({c.name, c.tier});
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<CheckRun>> RunCheck(const CheckRequest& options, Repository& repo,
                                           const ScopeCaches& caches, const FileReader& disk) {
  auto run = std::make_unique<CheckRun>();
  ScopeRequest so = options.scope;
  so.change.for_gate = true;
  so.classification_rev = so.change.base;  // a change to the classification is judged by the one it changes
  auto scope = RunScope(so, repo, caches);
  if (!scope) return scope.error();
  run->scope = std::move(*scope);
  const ChangeSet& cs = run->scope.report.changes;

  // Rules and waivers, as they are at the base revision.
  auto base = repo.TreeAt(cs.base_commit.empty() ? so.change.base : cs.base_commit);
  if (!base) return base.error();
  std::vector<SourceFile> rule_files, waiver_files;
  std::vector<std::string> rule_paths =
      options.rules.empty() ? std::vector<std::string>{kDefaultRulesPath} : options.rules;
  for (const auto& p : rule_paths) {
    if (auto st = ReadSources(options, disk, **base, cs.base_commit, p, true, Wanted::kRulesAndWaivers,
                              rule_files, waiver_files, run->rule_sources);
        !st) {
      return st.error();
    }
  }
  if (rule_files.empty()) {
    return Error::InvalidInput("no rule file (kind: Rules) in " +
                               [&] {
                                 std::string list;
                                 for (const auto& p : rule_paths) list += (list.empty() ? "" : ", ") + p;
                                 return list;
                               }() +
                               " at the base revision " + cs.base_commit.substr(0, 12) +
                               ": a gate without rules decides nothing " +
                               "(give --rules, or add rule files to the base branch)");
  }
  auto rules = LoadRules(rule_files);
  if (!rules) return rules.error();
  run->rules = std::move(*rules);
  AddBuiltinRules(run->rules);
  std::string waivers = options.waivers.empty() ? kDefaultWaiversPath : options.waivers;
  std::vector<std::string> waiver_sources;
  std::vector<SourceFile> stray_rules;
  if (auto st = ReadSources(options, disk, **base, cs.base_commit, waivers, !options.waivers.empty(),
                            Wanted::kWaivers, stray_rules, waiver_files, waiver_sources);
      !st) {
    return st.error();
  }
  for (const auto& f : waiver_files) {
    auto w = LoadWaivers(f);
    if (!w) return w.error();
    run->waivers.insert(run->waivers.end(), w->begin(), w->end());
  }

  // The facts rules read.
  ChangeFacts& facts = run->facts;
  facts.scope = run->scope.report;
  facts.labels = options.labels;
  facts.branch = options.branch;
  if (facts.branch.empty()) facts.branch = repo.BranchOf(so.change.head);
  if (facts.branch.empty()) facts.branch = options.branch_fallback;
  if (!options.intent_file.empty()) {
    auto intent = LoadIntent(disk, options.intent_file);
    if (!intent) return intent.error();
    facts.intent = *intent;
  } else {
    facts.intent = IntentFromTrailers(cs);
  }
  facts.now = options.now;
  for (const auto& f : rule_files) facts.guard_paths.push_back(f.path);
  for (const auto& f : waiver_files) facts.guard_paths.push_back(f.path);
  ClassifyAuthor(facts, run->rules.authors);
  if (auto st = FillSymlinkTargets(**base, facts); !st) return st.error();

  if (!cs.merge_base.empty()) {
    auto old_side = repo.TreeAt(cs.merge_base);
    // The side after the change: the head's tree, or the working tree (a worktree change).
    auto new_side = cs.head_commit.empty() ? repo.Worktree(cs) : repo.TreeAt(cs.head_commit);
    auto reader = [](const Result<std::unique_ptr<SourceTree>>& t) {
      return [&t](const std::string& p) -> std::optional<std::string> {
        if (!t) return std::nullopt;
        auto text = (*t)->ReadPath(p);
        return text ? std::optional<std::string>(*text) : std::nullopt;
      };
    };
    auto deps = FindDependencyBumps(cs, reader(old_side), reader(new_side));
    facts.bumps = std::move(deps.bumps);
    auto images = FindImageChanges(cs, reader(old_side), reader(new_side));
    facts.image_changes = std::move(images.facts);
    deps.unreadable.insert(deps.unreadable.end(), images.unreadable.begin(), images.unreadable.end());
    // The vulnerabilities of the images the change describes, by the base's image policy.
    for (const auto& [path, sbom] : images.sboms) {
      if (!options.scan_sbom) break;
      auto findings = options.scan_sbom(**base, sbom);
      if (!findings) {  // rules asking about vulnerabilities cannot be decided: indeterminate, never a pass
        facts.image_changes.push_back({ImageFact::Kind::kCve, path, 0, "", findings.error().message, -1});
        continue;
      }
      if (!*findings) break;  // the base has no image policy
      for (const auto& f : **findings) {
        if (f.vex == VexStatus::kNotAffected || f.vex == VexStatus::kFixed) continue;
        char score[16] = "";
        if (!f.vector.empty()) std::snprintf(score, sizeof score, " %.1f", f.score);
        facts.image_changes.push_back(
            {ImageFact::Kind::kCve, path, 0, f.id,
             std::string(ToString(f.severity)) + score + " in " + f.package.name + " " + f.package.version +
                 (f.fixed_version.empty() ? ", no fix yet" : ", fixed in " + f.fixed_version),
             static_cast<int>(f.severity)});
      }
    }
    // A manifest, recipe or SBOM that cannot be read hides what it changes: it is uninspectable.
    for (const auto& [path, why] : deps.unreadable) {
      for (auto& f : facts.scope.changes.files) {
        if (f.path == path && f.uninspectable.empty())
          f.uninspectable = "what it declares cannot be read: " + why;
      }
    }
  }

  run->verdict = Evaluate(run->rules, run->waivers, facts, Approvals{options.approved_by});
  return run;
}

}  // namespace ringfence::app
