// SourceTree over a git commit's tree, or over the working tree (index plus untracked files).
#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "adapters/git/git_handle.h"
#include "adapters/git/repo_pool.h"
#include "engine/model/change_set.h"
#include "engine/ports/source_tree.h"

namespace ringfence::git {

class GitSourceTree : public SourceTree {
 public:
  // The tree of commit `rev`. Listing is deferred until List() is called. Handles come from
  // `pool` (shared by every tree of a command); the path forms open a pool of their own.
  static Result<std::unique_ptr<GitSourceTree>> AtRevision(std::shared_ptr<RepoPool> pool,
                                                           const std::string& rev);
  static Result<std::unique_ptr<GitSourceTree>> AtRevision(const std::string& repo_path,
                                                           const std::string& rev);
  // The working tree: tracked files as on disk, plus the untracked files `changes` adds.
  static Result<std::unique_ptr<GitSourceTree>> Worktree(std::shared_ptr<RepoPool> pool,
                                                         const ChangeSet& changes);
  static Result<std::unique_ptr<GitSourceTree>> Worktree(const std::string& repo_path,
                                                         const ChangeSet& changes);

  std::string TreeId() const override { return tree_id_; }
  Result<std::vector<TreeEntry>> List() const override;
  Result<std::string> Read(const TreeEntry& entry) const override;
  Result<std::string> ReadPath(const std::string& path) const override;

  const std::string& workdir() const { return workdir_; }
  std::string Workdir() const override { return workdir_; }
  // Reads only that subtree, not the whole tree.
  Result<std::vector<TreeEntry>> EntriesUnder(const std::string& path) const override;
  Result<std::string> ReadObject(const std::string& blob) const override;

 private:
  GitSourceTree() = default;
  // A repository handle for the calling thread (from the pool); libgit2 handles are not shared
  // across threads.
  RepoPtr Acquire() const { return pool_->Acquire(); }
  void Release(RepoPtr repo) const { pool_->Release(std::move(repo)); }
  Result<std::string> ReadBlob(const std::string& hex) const;
  Result<TreePtr> RootTree(git_repository* repo) const;  // the tree this object describes
  Result<std::string> ReadDisk(const std::string& path) const;

  std::shared_ptr<RepoPool> pool_;
  std::string workdir_;     // absolute, with a trailing '/'; empty for a bare repository
  std::string tree_id_;     // empty for the working tree
  bool from_disk_ = false;  // worktree: contents come from the file system
  mutable std::mutex list_mu_;
  mutable bool listed_ = false;
  mutable std::vector<TreeEntry> entries_;
};

}  // namespace ringfence::git
