// Wiring of `scope`, `explain` and `check`: the git repository (one handle pool per command) and
// the caches in its git directory, built here and handed to the use cases in app/.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/cache/file_graph_store.h"
#include "adapters/cache/file_scan_cache.h"
#include "adapters/git/git_repository.h"
#include "app/scope.h"

namespace ringfence::cli {

struct ScopeOptions {
  std::string repo = ".";
  ChangeRequest change;
  bool use_cache = true;
  std::string cache_path;  // default: <git dir>/ringfence/scan-cache.bin
  int threads = 0;
  // See app::ScopeRequest::classification_rev.
  std::string classification_rev;
  BuildConfig build;  // see app::ScopeRequest::build
};

using ScopeRun = app::ScopeRun;

// The caches of a repository: graphs by tree id, scans by blob id (loaded on first use).
class RepositoryCaches {
 public:
  RepositoryCaches(const git::GitRepository& repo, const ScopeOptions& options);
  app::ScopeCaches View();

 private:
  std::string dir_;  // "" when caching is off
  std::optional<cache::FileGraphStore> graphs_;
  std::optional<cache::FileScanCache> scans_;
};

// Opens the repository, builds the caches, runs app::RunScope.
Result<ScopeRun> RunScope(const ScopeOptions& options);

}  // namespace ringfence::cli
