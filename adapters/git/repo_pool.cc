#include "adapters/git/repo_pool.h"

namespace ringfence::git {

Result<std::shared_ptr<RepoPool>> RepoPool::Open(const std::string& path) {
  auto repo = OpenRepository(path);
  if (!repo) return repo.error();
  auto pool = std::make_shared<RepoPool>();
  pool->path_ = path;
  if (const char* wd = git_repository_workdir(repo->get())) pool->workdir_ = wd;
  pool->gitdir_ = git_repository_path(repo->get());
  pool->free_.push_back(std::move(*repo));
  return pool;
}

RepoPtr RepoPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      RepoPtr r = std::move(free_.back());
      free_.pop_back();
      return r;
    }
  }
  auto repo = OpenRepository(path_);
  return repo ? std::move(*repo) : RepoPtr();
}

void RepoPool::Release(RepoPtr repo) {
  if (!repo) return;
  std::lock_guard<std::mutex> lock(mu_);
  free_.push_back(std::move(repo));
}

}  // namespace ringfence::git
