#include "adapters/git/git_source_tree.h"

#include "adapters/common/files.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ringfence::git {
namespace {

struct WalkState {
  std::vector<TreeEntry>* out;
};

int OnEntry(const char* root, const git_tree_entry* entry, void* payload) {
  auto* st = static_cast<WalkState*>(payload);
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode == GIT_FILEMODE_TREE) return 0;
  TreeEntry e;
  e.path = std::string(root) + git_tree_entry_name(entry);
  e.blob = OidHex(*git_tree_entry_id(entry));
  e.mode = static_cast<uint32_t>(mode);
  st->out->push_back(std::move(e));
  return 0;
}

}  // namespace

Result<std::unique_ptr<GitSourceTree>> GitSourceTree::AtRevision(const std::string& repo_path,
                                                                 const std::string& rev) {
  auto pool = RepoPool::Open(repo_path);
  if (!pool) return pool.error();
  return AtRevision(*pool, rev);
}

Result<std::unique_ptr<GitSourceTree>> GitSourceTree::AtRevision(std::shared_ptr<RepoPool> pool,
                                                                 const std::string& rev) {
  PooledRepo repo(*pool);
  if (!repo) return Error::Io("cannot reopen repository '" + pool->path() + "'");
  auto commit = ResolveCommit(repo.get(), rev);
  if (!commit) return commit.error();
  git_tree* raw = nullptr;
  if (git_commit_tree(&raw, commit->get()) != 0) return LastError("reading tree of " + rev);
  TreePtr tree(raw);
  std::unique_ptr<GitSourceTree> t(new GitSourceTree());
  t->pool_ = pool;
  t->tree_id_ = OidHex(*git_tree_id(tree.get()));
  t->workdir_ = pool->workdir();
  return t;
}

Result<std::unique_ptr<GitSourceTree>> GitSourceTree::Worktree(const std::string& repo_path,
                                                               const ChangeSet& changes) {
  auto pool = RepoPool::Open(repo_path);
  if (!pool) return pool.error();
  return Worktree(*pool, changes);
}

Result<std::unique_ptr<GitSourceTree>> GitSourceTree::Worktree(std::shared_ptr<RepoPool> pool,
                                                               const ChangeSet& changes) {
  PooledRepo repo(*pool);
  if (!repo) return Error::Io("cannot reopen repository '" + pool->path() + "'");
  if (pool->workdir().empty())
    return Error::InvalidInput("'" + pool->path() + "' is a bare repository: no working tree");
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo.get()) != 0) return LastError("reading the index");
  IndexPtr index(raw);
  std::unique_ptr<GitSourceTree> t(new GitSourceTree());
  t->pool_ = pool;
  t->workdir_ = pool->workdir();
  t->from_disk_ = true;
  t->listed_ = true;
  std::set<std::string> gone, dirty;
  for (const auto& f : changes.files) {
    if (f.status == ChangeStatus::kDeleted)
      gone.insert(f.path);
    else
      dirty.insert(f.path);
    if (f.status == ChangeStatus::kRenamed) gone.insert(f.old_path);
  }
  std::set<std::string> listed;
  size_t n = git_index_entrycount(index.get());
  for (size_t i = 0; i < n; ++i) {
    const git_index_entry* ie = git_index_get_byindex(index.get(), i);
    if (git_index_entry_stage(ie) != 0) continue;
    std::string path = ie->path;
    if (gone.count(path) || !listed.insert(path).second) continue;
    TreeEntry e;
    e.path = path;
    e.mode = ie->mode;
    e.blob = dirty.count(path) ? "" : OidHex(ie->id);
    t->entries_.push_back(std::move(e));
  }
  for (const auto& path : dirty) {
    if (listed.count(path)) continue;
    TreeEntry e;
    e.path = path;
    for (const auto& f : changes.files) {
      if (f.path == path) e.mode = f.new_mode;
    }
    t->entries_.push_back(std::move(e));
  }
  std::sort(t->entries_.begin(), t->entries_.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return t;
}

Result<std::vector<TreeEntry>> GitSourceTree::List() const {
  std::lock_guard<std::mutex> lock(list_mu_);
  if (listed_) return entries_;
  RepoPtr repo = Acquire();
  if (!repo) return Error::Io("cannot reopen repository '" + pool_->path() + "'");
  auto root = RootTree(repo.get());
  if (!root) return root.error();
  TreePtr tree = std::move(*root);
  WalkState st{&entries_};
  if (git_tree_walk(tree.get(), GIT_TREEWALK_PRE, OnEntry, &st) != 0)
    return LastError("listing tree " + tree_id_);
  std::sort(entries_.begin(), entries_.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  tree.reset();
  Release(std::move(repo));
  listed_ = true;
  return entries_;
}

Result<TreePtr> GitSourceTree::RootTree(git_repository* repo) const {
  git_oid oid;
  git_tree* raw = nullptr;
  if (git_oid_fromstr(&oid, tree_id_.c_str()) != 0 || git_tree_lookup(&raw, repo, &oid) != 0) {
    return LastError("reading tree " + tree_id_);
  }
  return TreePtr(raw);
}

Result<std::string> GitSourceTree::ReadBlob(const std::string& hex) const {
  RepoPtr repo = Acquire();
  if (!repo) return Error::Io("cannot reopen repository '" + pool_->path() + "'");
  git_oid oid;
  if (git_oid_fromstr(&oid, hex.c_str()) != 0) return Error::Internal("bad object id " + hex);
  git_blob* raw = nullptr;
  int rc = git_blob_lookup(&raw, repo.get(), &oid);
  if (rc != 0) {
    Error e = LastError("reading object " + hex);
    Release(std::move(repo));
    return e;
  }
  BlobPtr blob(raw);
  std::string content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                      static_cast<size_t>(git_blob_rawsize(blob.get())));
  blob.reset();
  Release(std::move(repo));
  return content;
}

Result<std::string> GitSourceTree::ReadDisk(const std::string& path) const {
  auto text = ReadWholeFile(workdir_ + path);
  if (!text) return Error::Io("cannot read '" + path + "' in the working tree");
  return text;
}

Result<std::vector<TreeEntry>> GitSourceTree::EntriesUnder(const std::string& path) const {
  std::vector<TreeEntry> out;
  if (from_disk_) {
    for (const auto& e : entries_) {
      if (e.path == path || e.path.rfind(path + "/", 0) == 0) out.push_back(e);
    }
    return out;
  }
  RepoPtr repo = Acquire();
  if (!repo) return Error::Io("cannot reopen repository '" + pool_->path() + "'");
  auto root_tree = RootTree(repo.get());
  if (!root_tree) return root_tree.error();
  TreePtr root = std::move(*root_tree);
  // Walk the components one by one, so that a symlink on the way is seen for what it is.
  git_tree_entry* entry = nullptr;
  std::string at;
  size_t pos = 0;
  while (true) {
    size_t slash = path.find('/', pos);
    at = path.substr(0, slash);
    if (entry) git_tree_entry_free(entry);
    entry = nullptr;
    if (git_tree_entry_bypath(&entry, root.get(), at.c_str()) != 0) {
      Release(std::move(repo));
      return out;
    }
    if (slash == std::string::npos || git_tree_entry_filemode(entry) != GIT_FILEMODE_TREE) break;
    pos = slash + 1;
  }
  std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>> hold(entry);
  if (git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
    TreeEntry e;
    e.path = at;
    e.blob = OidHex(*git_tree_entry_id(entry));
    e.mode = static_cast<uint32_t>(git_tree_entry_filemode(entry));
    out.push_back(std::move(e));
  } else {
    git_tree* sub = nullptr;
    if (git_tree_lookup(&sub, repo.get(), git_tree_entry_id(entry)) != 0) return LastError("reading " + path);
    TreePtr subtree(sub);
    std::vector<TreeEntry> found;
    WalkState st{&found};
    if (git_tree_walk(subtree.get(), GIT_TREEWALK_PRE, OnEntry, &st) != 0)
      return LastError("listing " + path);
    for (auto& e : found) {
      e.path = path + "/" + e.path;
      out.push_back(std::move(e));
    }
    std::sort(out.begin(), out.end(), [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  }
  Release(std::move(repo));
  return out;
}

Result<std::string> GitSourceTree::ReadObject(const std::string& blob) const { return ReadBlob(blob); }

Result<std::string> GitSourceTree::Read(const TreeEntry& entry) const {
  if (from_disk_) return ReadDisk(entry.path);
  return ReadBlob(entry.blob);
}

Result<std::string> GitSourceTree::ReadPath(const std::string& path) const {
  if (!from_disk_) {
    RepoPtr repo = Acquire();
    if (!repo) return Error::Io("cannot reopen repository '" + pool_->path() + "'");
    auto root = RootTree(repo.get());
    if (!root) return root.error();
    TreePtr tree = std::move(*root);
    git_tree_entry* entry = nullptr;
    int rc = git_tree_entry_bypath(&entry, tree.get(), path.c_str());
    std::string blob = rc == 0 ? OidHex(*git_tree_entry_id(entry)) : "";
    if (entry) git_tree_entry_free(entry);
    tree.reset();
    Release(std::move(repo));
    if (rc != 0) return Error::NotFound(path + " is not in the tree");
    return ReadBlob(blob);
  }
  auto it = std::lower_bound(entries_.begin(), entries_.end(), path,
                             [](const TreeEntry& e, const std::string& p) { return e.path < p; });
  if (it == entries_.end() || it->path != path) return Error::NotFound(path + " is not in the tree");
  return Read(*it);
}

}  // namespace ringfence::git
