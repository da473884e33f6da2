#include "cli/scope_pipeline.h"

namespace ringfence::cli {

RepositoryCaches::RepositoryCaches(const git::GitRepository& repo, const ScopeOptions& options) {
  if (!options.use_cache) return;
  dir_ = options.cache_path.empty() ? repo.CacheDir() : options.cache_path;
  graphs_.emplace(dir_ + "/graphs");
}

app::ScopeCaches RepositoryCaches::View() {
  app::ScopeCaches c;
  if (dir_.empty()) return c;
  c.graphs = &*graphs_;
  c.scans = [this]() -> ScanCache* {
    if (!scans_) scans_.emplace(dir_ + "/scan-cache.bin");
    return &*scans_;
  };
  return c;
}

Result<ScopeRun> RunScope(const ScopeOptions& options) {
  auto repo = git::GitRepository::Open(options.repo);
  if (!repo) return repo.error();
  RepositoryCaches caches(**repo, options);
  return app::RunScope({options.change, options.threads, options.classification_rev, options.build}, **repo,
                       caches.View());
}

}  // namespace ringfence::cli
