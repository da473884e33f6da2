// libgit2 repository handles for one command: opened once, lent to one thread at a time (libgit2
// handles are not shared across threads), returned after use. Every tree a command opens borrows
// from the same pool.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/git/git_handle.h"

namespace ringfence::git {

class RepoPool {
 public:
  // Opens the repository containing `path`; kInvalidInput when there is none.
  static Result<std::shared_ptr<RepoPool>> Open(const std::string& path);
  // A handle for the calling thread (null if the repository cannot be reopened).
  RepoPtr Acquire();
  void Release(RepoPtr repo);
  const std::string& path() const { return path_; }
  const std::string& workdir() const { return workdir_; }  // absolute, trailing '/'; "" when bare
  const std::string& gitdir() const { return gitdir_; }    // trailing '/'

 private:
  std::string path_, workdir_, gitdir_;
  std::mutex mu_;
  std::vector<RepoPtr> free_;
};

// Lends a handle for a scope and returns it after.
class PooledRepo {
 public:
  explicit PooledRepo(RepoPool& pool) : pool_(pool), repo_(pool.Acquire()) {}
  ~PooledRepo() { pool_.Release(std::move(repo_)); }
  git_repository* get() const { return repo_.get(); }
  explicit operator bool() const { return repo_ != nullptr; }

 private:
  RepoPool& pool_;
  RepoPtr repo_;
};

}  // namespace ringfence::git
