#include "cli/scope_pipeline.h"

#include <set>

#include "adapters/cache/file_scan_cache.h"
#include "adapters/git/git_change_source.h"
#include "adapters/git/git_handle.h"
#include "adapters/git/git_source_tree.h"
#include "engine/scope/analyze_scope.h"

namespace ringfence::cli {

Result<ScopeRun> RunScope(const ScopeOptions& options) {
  git::GitChangeSource source(options.repo);
  auto changes = source.Load(options.change);
  if (!changes) return changes.error();

  // The graph describes the tree after the change; a patch has none, so its base tree stands in
  // and the files the patch adds join the removed ones as nodes without content.
  Result<std::unique_ptr<git::GitSourceTree>> tree = Error::Internal("unset");
  if (options.change.worktree) {
    tree = git::GitSourceTree::Worktree(options.repo, *changes);
  } else if (!options.change.patch_file.empty()) {
    tree = git::GitSourceTree::AtRevision(options.repo, options.change.base);
  } else {
    tree = git::GitSourceTree::AtRevision(options.repo, changes->head_commit);
  }
  if (!tree) return tree.error();
  auto entries = (*tree)->List();
  if (!entries) return entries.error();

  GraphBuildOptions build;
  build.threads = options.threads;
  build.deleted_files = RemovedPaths(*changes);
  if (!options.change.patch_file.empty()) {
    std::set<std::string> present;
    for (const auto& e : *entries) present.insert(e.path);
    for (const auto& f : changes->files) {
      if (!present.count(f.path) && f.status != ChangeStatus::kDeleted) build.deleted_files.push_back(f.path);
    }
  }
  std::optional<cache::FileScanCache> scan_cache;
  if (options.use_cache) {
    std::string path = options.cache_path;
    if (path.empty()) {
      auto gitdir = git::GitDir(options.repo);
      if (gitdir) path = *gitdir + "ringfence/scan-cache.bin";
    }
    if (!path.empty()) {
      scan_cache.emplace(path);
      build.cache = &*scan_cache;
    }
  }
  auto built = BuildGraph(**tree, *entries, build);
  if (!built) return built.error();
  ScopeRun run{std::move(*built), {}};
  run.report = AnalyzeScope(*changes, run.built);
  if (scan_cache) {
    if (auto st = scan_cache->Save(); !st) run.report.warnings.push_back(st.error().message);
  }
  return run;
}

}  // namespace ringfence::cli
