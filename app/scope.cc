#include "app/scope.h"

#include <chrono>
#include <memory>
#include <optional>
#include <set>

#include "engine/graph/codeowners.h"
#include "engine/graph/components_file.h"
#include "engine/graph/graph_builder.h"
#include "engine/graph/graph_reuse.h"
#include "engine/scanners/file_scan.h"
#include "engine/scope/analyze_scope.h"

namespace ringfence::app {

Result<ScopeRun> RunScope(const ScopeRequest& options, Repository& repo, const ScopeCaches& caches) {
  std::vector<std::pair<std::string, double>> phases;
  auto mark = std::chrono::steady_clock::now();
  auto phase = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    phases.emplace_back(name, std::chrono::duration<double>(now - mark).count());
    mark = now;
  };
  auto changes = repo.LoadChange(options.change);
  if (!changes) return changes.error();
  phase("diff");

  // The graph describes the tree after the change; a patch has none, so its base tree stands in
  // and the files the patch adds join the removed ones as nodes without content.
  Result<std::unique_ptr<SourceTree>> tree = Error::Internal("unset");
  if (options.change.worktree) {
    tree = repo.Worktree(*changes);
  } else if (!options.change.patch_file.empty()) {
    tree = repo.TreeAt(options.change.base);
  } else {
    tree = repo.TreeAt(changes->head_commit);
  }
  if (!tree) return tree.error();

  // The classification the graph is built with: the tree's own, or another revision's.
  std::unique_ptr<SourceTree> classification;
  if (!options.classification_rev.empty()) {
    auto other = repo.TreeAt(options.classification_rev);
    if (!other) return other.error();
    bool same = true;
    std::vector<std::string> files = {kComponentsPath};
    for (const char* loc : kCodeownersLocations) files.push_back(loc);
    for (const auto& f : files) {
      auto a = (*other)->ReadPath(f);
      auto b = (*tree)->ReadPath(f);
      same = same && a.ok() == b.ok() && (!a.ok() || *a == *b);
    }
    if (!same) classification = std::move(*other);
  }

  // Stored graphs carry their tree's own classification and no build configuration: not for a
  // graph built with another revision's classification or for chosen builds.
  GraphStore* graphs = classification || !options.build.empty() ? nullptr : caches.graphs;
  ScanCache* scan_cache = nullptr;
  auto scans = [&]() -> ScanCache* {
    if (!scan_cache && caches.scans) scan_cache = caches.scans();
    return scan_cache;
  };

  // A stored graph serves when it describes the head tree, or the merge base's tree and the
  // change cannot have altered it (engine/graph/graph_reuse.h). Changes that remove files need
  // their own graph (removed paths stay as nodes), so they are never stored.
  std::vector<std::string> removed = RemovedPaths(*changes);
  bool storable = graphs && removed.empty() && !changes->head_tree.empty();
  std::optional<BuiltGraph> reused;
  if (storable) {
    reused = graphs->Load(changes->head_tree);
    if (!reused) {
      // Scanning the few changed blobs directly is cheaper than loading the scan cache.
      auto scan_of = [&](const std::string& path, const std::string& blob) -> std::optional<FileScan> {
        auto content = (*tree)->ReadObject(blob);
        if (!content) return std::nullopt;
        return ScanFile(LanguageOf(path), *content);
      };
      if (GraphUnchanged(*changes, scan_of)) {
        reused = graphs->Load(changes->merge_base_tree);
        if (reused) (void)graphs->Alias(changes->head_tree, changes->merge_base_tree);
      }
    }
    phase("load graph");
  }

  Result<BuiltGraph> built = Error::Internal("unset");
  if (reused) {
    built = std::move(*reused);
    built->reused = true;
  } else {
    auto entries = (*tree)->List();
    if (!entries) return entries.error();
    phase("list tree");
    GraphBuildOptions build;
    build.threads = options.threads;
    build.deleted_files = removed;
    if (!options.change.patch_file.empty()) {
      std::set<std::string> present;
      for (const auto& e : *entries) present.insert(e.path);
      for (const auto& f : changes->files) {
        if (!present.count(f.path) && f.status != ChangeStatus::kDeleted)
          build.deleted_files.push_back(f.path);
      }
    }
    build.cache = scans();
    build.config_tree = classification.get();
    build.build = options.build;
    built = BuildGraph(**tree, *entries, build);
    if (!built) return built.error();
    for (auto& p : built->phases) phases.emplace_back("graph: " + p.first, p.second);
    mark = std::chrono::steady_clock::now();
    if (storable) {
      if (auto st = graphs->Save(changes->head_tree, *built); !st)
        built->warnings.push_back(st.error().message);
      phase("store graph");
    }
  }
  mark = std::chrono::steady_clock::now();
  ScopeRun run{std::move(*built), {}, {}};
  run.report = AnalyzeScope(*changes, run.built);
  phase("blast radius");
  if (scan_cache) {
    if (auto st = scan_cache->Save(); !st) run.report.warnings.push_back(st.error().message);
  }
  phase("save cache");
  run.phases = std::move(phases);
  return run;
}

}  // namespace ringfence::app
