#include "cli/check_pipeline.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/common/files.h"
#include "adapters/git/git_handle.h"
#include "adapters/git/git_source_tree.h"
#include "engine/core/civil_time.h"
#include "engine/core/yaml_doc.h"
#include "engine/rules/author.h"
#include "engine/rules/dependency_bumps.h"
#include "engine/rules/rule_loader.h"

namespace ringfence::cli {
namespace fs = std::filesystem;
namespace {

bool IsYaml(const std::string& p) {
  return p.size() > 5 && (p.compare(p.size() - 5, 5, ".yaml") == 0 || p.compare(p.size() - 4, 4, ".yml") == 0);
}

// True for an absolute path that is not inside the repository's work tree: read from disk.
bool OutsideRepo(const std::string& path, const std::string& workdir) {
  if (path.empty() || path[0] != '/') return false;
  std::error_code ec;
  std::string abs = fs::weakly_canonical(path, ec).string();
  std::string wd = workdir.empty() ? "" : fs::weakly_canonical(workdir, ec).string();
  return wd.empty() || abs.rfind(wd, 0) != 0;
}

// Reads rule files: repository paths from the base tree, outside paths from disk.
Status ReadSources(const git::GitSourceTree& base, const std::string& base_commit, const std::string& path,
                   bool required, std::vector<SourceFile>& out, std::vector<std::string>& sources) {
  if (OutsideRepo(path, base.workdir())) {
    std::error_code ec;
    std::vector<std::string> files;
    if (fs::is_directory(path, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
        if (e.is_regular_file() && IsYaml(e.path().string())) files.push_back(e.path().string());
      }
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(path);
    }
    for (const auto& f : files) {
      auto text = ReadWholeFile(f);
      if (!text) return text.error();
      out.push_back({f, *text});
      sources.push_back(f);
    }
    return Status::Ok();
  }
  std::string rel = path;
  if (rel.rfind("./", 0) == 0) rel = rel.substr(2);
  if (!rel.empty() && rel[0] == '/') rel = fs::relative(rel, base.workdir()).string();
  while (!rel.empty() && rel.back() == '/') rel.pop_back();
  auto files = base.FilesUnder(rel);
  if (!files) return files.error();
  if (files->empty() && required) {
    return Error::InvalidInput("'" + path + "' is not in the base revision " + base_commit.substr(0, 12) +
                               " (rules are read from the base, so that a change cannot weaken what judges it)");
  }
  for (const auto& f : *files) {
    if (f != rel && !IsYaml(f)) continue;
    auto text = base.ReadPath(f);
    if (!text) return text.error();
    out.push_back({f, *text});
    sources.push_back(f + "@" + base_commit.substr(0, 12));
  }
  return Status::Ok();
}

Result<Intent> LoadIntent(const std::string& file) {
  auto text = ReadWholeFile(file);
  if (!text) return text.error();
  return GuardYaml(file, [&]() -> Result<Intent> {
    auto doc = YamlDoc::Parse(*text, file);
    if (!doc) return doc.error();
    if (auto st = doc->CheckKeys(doc->root(), {"components", "paths"}, "an intent file"); !st) return st.error();
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

// "Intent: auth, payments" or "Intent: services/auth/**" in the newest commit that has one.
Intent IntentFromTrailers(const ChangeSet& cs) {
  Intent intent;
  for (const auto& c : cs.commits) {
    for (const auto& [k, v] : ParseTrailers(c.message)) {
      if (k != "Intent") continue;
      intent.declared = true;
      intent.source = "trailer Intent: in commit " + c.id.substr(0, 12);
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (item.empty()) continue;
        (item.find_first_of("/*.") != std::string::npos ? intent.paths : intent.components).push_back(item);
      }
      return intent;
    }
  }
  return intent;
}

// The branch the change is on: HEAD's branch when head is HEAD, else head itself if it names a
// local branch; "" when neither holds.
std::string BranchOf(const std::string& repo_path, const std::string& head) {
  auto r = git::OpenRepository(repo_path);
  if (!r) return "";
  git_reference* ref = nullptr;
  std::string name;
  if (head.empty() || head == "HEAD") {
    if (git_repository_head(&ref, r->get()) == 0 && git_reference_is_branch(ref)) name = git_reference_shorthand(ref);
  } else if (git_branch_lookup(&ref, r->get(), head.c_str(), GIT_BRANCH_LOCAL) == 0) {
    name = head;
  }
  git_reference_free(ref);
  return name;
}

}  // namespace

Result<std::unique_ptr<CheckRun>> RunCheck(const CheckOptions& options) {
  auto run = std::make_unique<CheckRun>();
  ScopeOptions so = options.scope;
  so.change.for_gate = true;
  auto scope = RunScope(so);
  if (!scope) return scope.error();
  run->scope = std::move(*scope);
  const ChangeSet& cs = run->scope.report.changes;

  // Rules and waivers, as they are at the base revision.
  auto base = git::GitSourceTree::AtRevision(so.repo, cs.base_commit.empty() ? so.change.base : cs.base_commit);
  if (!base) return base.error();
  std::vector<SourceFile> rule_files;
  std::vector<std::string> rule_paths = options.rules.empty() ? std::vector<std::string>{kDefaultRulesPath} : options.rules;
  for (const auto& p : rule_paths) {
    if (auto st = ReadSources(**base, cs.base_commit, p, !options.rules.empty(), rule_files, run->rule_sources); !st) {
      return st.error();
    }
  }
  auto rules = LoadRules(rule_files);
  if (!rules) return rules.error();
  run->rules = std::move(*rules);
  AddBuiltinRules(run->rules);
  std::vector<SourceFile> waiver_files;
  std::string waivers = options.waivers.empty() ? kDefaultWaiversPath : options.waivers;
  std::vector<std::string> waiver_sources;
  if (auto st = ReadSources(**base, cs.base_commit, waivers, !options.waivers.empty(), waiver_files, waiver_sources); !st) {
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
  if (facts.branch.empty()) facts.branch = BranchOf(so.repo, so.change.head);
  if (facts.branch.empty()) {
    if (const char* ref = std::getenv("GITHUB_HEAD_REF")) facts.branch = ref;
  }
  if (!options.intent_file.empty()) {
    auto intent = LoadIntent(options.intent_file);
    if (!intent) return intent.error();
    facts.intent = *intent;
  } else {
    facts.intent = IntentFromTrailers(cs);
  }
  if (!options.now.empty()) {
    auto at = ParseDayTime(options.now);
    if (!at) return Error::InvalidInput("--now must be YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC), not '" + options.now + "'");
    facts.now = std::chrono::system_clock::time_point(*at);
  } else {
    facts.now = std::chrono::system_clock::now();
  }
  for (const auto& f : rule_files) facts.guard_paths.push_back(f.path);
  for (const auto& f : waiver_files) facts.guard_paths.push_back(f.path);
  ClassifyAuthor(facts, run->rules.authors);

  if (!cs.merge_base.empty()) {
    auto old_side = git::GitSourceTree::AtRevision(so.repo, cs.merge_base);
    auto new_side = cs.head_commit.empty() ? Result<std::unique_ptr<git::GitSourceTree>>(Error::NotFound("worktree"))
                                           : git::GitSourceTree::AtRevision(so.repo, cs.head_commit);
    auto reader = [](const Result<std::unique_ptr<git::GitSourceTree>>& t) {
      return [&t](const std::string& p) -> std::optional<std::string> {
        if (!t) return std::nullopt;
        auto text = (*t)->ReadPath(p);
        return text ? std::optional<std::string>(*text) : std::nullopt;
      };
    };
    auto disk = [&](const std::string& p) -> std::optional<std::string> {
      auto text = ReadWholeFile((*base)->workdir() + p);
      return text ? std::optional<std::string>(*text) : std::nullopt;
    };
    ReadSide after = new_side ? ReadSide(reader(new_side)) : ReadSide(disk);
    facts.bumps = FindDependencyBumps(cs, reader(old_side), after);
  }

  run->verdict = Evaluate(run->rules, run->waivers, facts, Approvals{options.approved_by});
  return run;
}

}  // namespace ringfence::cli
