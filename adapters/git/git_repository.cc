#include "adapters/git/git_repository.h"

#include "adapters/git/git_change_source.h"
#include "adapters/git/git_source_tree.h"

namespace ringfence::git {

Result<std::unique_ptr<GitRepository>> GitRepository::Open(const std::string& path) {
  auto pool = RepoPool::Open(path);
  if (!pool) return pool.error();
  return std::unique_ptr<GitRepository>(new GitRepository(std::move(*pool)));
}

Result<ChangeSet> GitRepository::LoadChange(const ChangeRequest& request) {
  // The diff needs a handle of its own: it empties the handle's index (and the gate's reads no
  // work tree at all), which no tree sharing the pool may see.
  return GitChangeSource(pool_->path()).Load(request);
}

Result<std::unique_ptr<SourceTree>> GitRepository::TreeAt(const std::string& revision) {
  auto tree = GitSourceTree::AtRevision(pool_, revision);
  if (!tree) return tree.error();
  return std::unique_ptr<SourceTree>(std::move(*tree));
}

Result<std::unique_ptr<SourceTree>> GitRepository::Worktree(const ChangeSet& changes) {
  auto tree = GitSourceTree::Worktree(pool_, changes);
  if (!tree) return tree.error();
  return std::unique_ptr<SourceTree>(std::move(*tree));
}

std::string GitRepository::BranchOf(const std::string& head) {
  PooledRepo repo(*pool_);
  if (!repo) return "";
  git_reference* ref = nullptr;
  std::string name;
  if (head.empty() || head == "HEAD") {
    if (git_repository_head(&ref, repo.get()) == 0 && git_reference_is_branch(ref))
      name = git_reference_shorthand(ref);
  } else if (git_branch_lookup(&ref, repo.get(), head.c_str(), GIT_BRANCH_LOCAL) == 0) {
    name = head;
  }
  git_reference_free(ref);
  return name;
}

}  // namespace ringfence::git
