#include "adapters/git/git_handle.h"

#include <mutex>

namespace ringfence::git {

void EnsureInitialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Objects come from the local repository that git itself wrote; re-hashing every object read
    // doubles the cost of scanning a large tree. Reads are still checked for corruption by zlib.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
    // The narrowed trees (narrow_trees.h) refer to blobs by id; a partial clone may lack some,
    // which the diff then reports by path and id (MissingBlob) instead of a failed tree insert.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
  });
}

Error LastError(const std::string& doing, ErrorKind kind) {
  const git_error* e = git_error_last();
  std::string msg = doing;
  if (e && e->message) msg += ": " + std::string(e->message);
  return Error{kind, msg};
}

Result<RepoPtr> OpenRepository(const std::string& path) {
  EnsureInitialised();
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), 0, nullptr) != 0) {
    return LastError("'" + path + "' is not a git repository", ErrorKind::kInvalidInput);
  }
  return RepoPtr(raw);
}

Result<RepoPtr> OpenRepositoryWithoutWorktree(const std::string& path) {
  auto repo = OpenRepository(path);
  if (!repo) return repo;
  git_repository* raw = nullptr;
  if (git_repository_open_bare(&raw, git_repository_path(repo->get())) != 0) return repo;
  return RepoPtr(raw);
}

Result<CommitPtr> ResolveCommit(git_repository* repo, const std::string& rev) {
  git_object* obj = nullptr;
  int rc = git_revparse_single(&obj, repo, rev.c_str());
  if (rc != 0) {
    std::string hint = git_repository_is_shallow(repo)
                           ? " (the repository is a shallow clone: fetch more history, e.g. "
                             "`git fetch --unshallow`)"
                           : "";
    return LastError("revision '" + rev + "' is not in the repository" + hint,
                     rc == GIT_ENOTFOUND ? ErrorKind::kNotFound : ErrorKind::kInvalidInput);
  }
  ObjectPtr holder(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) {
    return LastError("revision '" + rev + "' does not name a commit", ErrorKind::kInvalidInput);
  }
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

std::string OidHex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

Result<std::string> GitDir(const std::string& repo_path) {
  auto repo = OpenRepository(repo_path);
  if (!repo) return repo.error();
  return std::string(git_repository_path(repo->get()));
}

}  // namespace ringfence::git
