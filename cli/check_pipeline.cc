#include "cli/check_pipeline.h"

#include <cstdlib>
#include <filesystem>

#include "adapters/common/local_files.h"
#include "cli/image_policy_source.h"
#include "engine/core/civil_time.h"

namespace ringfence::cli {

Result<std::unique_ptr<CheckRun>> RunCheck(const CheckOptions& options) {
  app::CheckRequest r;
  r.scope = {options.scope.change, options.scope.threads, "", options.scope.build};
  std::error_code ec;
  r.repo_path = std::filesystem::absolute(options.scope.repo, ec).lexically_normal().string();
  r.rules = options.rules;
  r.waivers = options.waivers;
  r.approved_by = options.approved_by;
  r.labels = options.labels;
  r.branch = options.branch;
  if (const char* ref = std::getenv("GITHUB_HEAD_REF")) r.branch_fallback = ref;
  r.intent_file = options.intent_file;
  if (!options.now.empty()) {
    auto at = ParseDayTime(options.now);
    if (!at)
      return Error::InvalidInput("--now must be YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC), not '" + options.now +
                                 "'");
    r.now = std::chrono::system_clock::time_point(*at);
  } else {
    r.now = std::chrono::system_clock::now();
  }
  auto repo = git::GitRepository::Open(options.scope.repo);
  if (!repo) return repo.error();
  r.scan_sbom = ScanSbomsWithBasePolicy((*repo)->Workdir());
  RepositoryCaches caches(**repo, options.scope);
  LocalFiles files;
  return app::RunCheck(r, **repo, caches.View(), files);
}

}  // namespace ringfence::cli
