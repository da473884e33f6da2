// RAII wrappers and error conversion for libgit2. Only adapters/git includes git2.h.
#pragma once

#include <git2.h>

#include <memory>
#include <string>

#include "engine/core/result.h"

namespace ringfence::git {

// Initialises libgit2 once per process; safe to call repeatedly.
void EnsureInitialised();

// libgit2's last error as an Error of the given kind, prefixed by what we were doing.
Error LastError(const std::string& doing, ErrorKind kind = ErrorKind::kIo);

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const {
    if (p) Free(p);
  }
};

using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using BlobPtr = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;
using DiffPtr = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using PatchPtr = std::unique_ptr<git_patch, Deleter<git_patch, git_patch_free>>;
using IndexPtr = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;

// Opens the repository containing `path` (searching parent directories).
Result<RepoPtr> OpenRepository(const std::string& path);

// The same repository opened by its git directory alone, as if bare: nothing is read from the
// work tree (no .gitattributes, no index). Falls back to OpenRepository for a layout it cannot open.
Result<RepoPtr> OpenRepositoryWithoutWorktree(const std::string& path);

// Resolves a revision expression to a commit; kNotFound names the revision when it is absent.
Result<CommitPtr> ResolveCommit(git_repository* repo, const std::string& rev);

std::string OidHex(const git_oid& oid);

// The repository's git directory (".git" of a work tree), with a trailing '/'.
Result<std::string> GitDir(const std::string& repo_path);

}  // namespace ringfence::git
