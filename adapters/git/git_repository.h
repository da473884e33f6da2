// The Repository port over git (libgit2): one pool of handles for the command, shared by the trees
// it opens; the change read as `git diff -M base...head` (git_change_source.h).
#pragma once

#include <memory>
#include <string>

#include "adapters/git/repo_pool.h"
#include "engine/ports/repository.h"

namespace ringfence::git {

class GitRepository : public Repository {
 public:
  // The repository containing `path`; kInvalidInput when there is none.
  static Result<std::unique_ptr<GitRepository>> Open(const std::string& path);

  Result<ChangeSet> LoadChange(const ChangeRequest& request) override;
  Result<std::unique_ptr<SourceTree>> TreeAt(const std::string& revision) override;
  Result<std::unique_ptr<SourceTree>> Worktree(const ChangeSet& changes) override;
  std::string BranchOf(const std::string& head) override;
  std::string Workdir() const override { return pool_->workdir(); }
  // Where ringfence keeps its caches for this repository: <git dir>/ringfence.
  std::string CacheDir() const { return pool_->gitdir() + "ringfence"; }

 private:
  explicit GitRepository(std::shared_ptr<RepoPool> pool) : pool_(std::move(pool)) {}
  std::shared_ptr<RepoPool> pool_;
};

}  // namespace ringfence::git
