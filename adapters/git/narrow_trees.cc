#include "adapters/git/narrow_trees.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace ringfence::git {
namespace {

// Above this many differing entries the full trees are diffed instead (measured crossover on a
// 100k-file repository: writing ~2,000 entries costs about what the walk of equal subtrees saves).
constexpr size_t kNarrowLimit = 1500;

struct Side {
  std::vector<std::string> paths;
  std::vector<uint32_t> modes;
  std::vector<git_oid> ids;
};

struct Collector {
  git_repository* repo;
  Side* old_side;
  Side* new_side;
};

Status Add(Side* side, const std::string& path, const git_tree_entry* e) {
  side->paths.push_back(path);
  side->modes.push_back(static_cast<uint32_t>(git_tree_entry_filemode(e)));
  side->ids.push_back(*git_tree_entry_id(e));
  return Status::Ok();
}

Status AddSubtree(Collector& c, Side* index, const std::string& prefix, const git_tree_entry* e);

// Adds one side's entry: a blob, link or gitlink as itself, a tree as all files under it.
Status AddSide(Collector& c, Side* index, const std::string& prefix, const git_tree_entry* e) {
  std::string path = prefix + git_tree_entry_name(e);
  if (git_tree_entry_type(e) == GIT_OBJECT_TREE) return AddSubtree(c, index, path + "/", e);
  return Add(index, path, e);
}

Status AddSubtree(Collector& c, Side* index, const std::string& prefix, const git_tree_entry* e) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, c.repo, git_tree_entry_id(e)) != 0) return LastError("reading tree " + prefix);
  TreePtr tree(raw);
  size_t n = git_tree_entrycount(tree.get());
  for (size_t i = 0; i < n; ++i) {
    if (auto st = AddSide(c, index, prefix, git_tree_entry_byindex(tree.get(), i)); !st) return st;
  }
  return Status::Ok();
}

// Git's tree order: names compare bytewise, a tree's name as if it ended in '/'.
int GitOrder(const git_tree_entry* a, const git_tree_entry* b) {
  const char* na = git_tree_entry_name(a);
  const char* nb = git_tree_entry_name(b);
  size_t la = std::strlen(na), lb = std::strlen(nb);
  int c = std::memcmp(na, nb, std::min(la, lb));
  if (c != 0 || la == lb) return c != 0 ? c : 0;
  auto at = [](const char* n, size_t len, size_t i, const git_tree_entry* e) -> unsigned char {
    if (i < len) return static_cast<unsigned char>(n[i]);
    return git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : 0;
  };
  size_t i = std::min(la, lb);
  return static_cast<int>(at(na, la, i, a)) - static_cast<int>(at(nb, lb, i, b));
}

// Merge-joins two trees in git's order. A name that is a tree on one side and not on the other
// compares unequal, so it becomes a deletion plus an addition, as git diffs it.
Status Walk(Collector& c, git_tree* a, git_tree* b, const std::string& prefix) {
  size_t na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
  size_t i = 0, j = 0;
  while (i < na || j < nb) {
    const git_tree_entry* ea = i < na ? git_tree_entry_byindex(a, i) : nullptr;
    const git_tree_entry* eb = j < nb ? git_tree_entry_byindex(b, j) : nullptr;
    int cmp = !ea ? 1 : !eb ? -1 : GitOrder(ea, eb);
    if (cmp == 0) {
      ++i, ++j;
      if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
          git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb)) {
        continue;
      }
      bool ta = git_tree_entry_type(ea) == GIT_OBJECT_TREE, tb = git_tree_entry_type(eb) == GIT_OBJECT_TREE;
      if (ta && tb) {
        git_tree *sa = nullptr, *sb = nullptr;
        if (git_tree_lookup(&sa, c.repo, git_tree_entry_id(ea)) != 0) return LastError("reading a tree");
        TreePtr hold_a(sa);
        if (git_tree_lookup(&sb, c.repo, git_tree_entry_id(eb)) != 0) return LastError("reading a tree");
        TreePtr hold_b(sb);
        if (auto st = Walk(c, sa, sb, prefix + git_tree_entry_name(ea) + "/"); !st) return st;
        continue;
      }
      if (auto st = AddSide(c, c.old_side, prefix, ea); !st) return st;
      if (auto st = AddSide(c, c.new_side, prefix, eb); !st) return st;
    } else if (cmp < 0) {
      ++i;
      if (auto st = AddSide(c, c.old_side, prefix, ea); !st) return st;
    } else {
      ++j;
      if (auto st = AddSide(c, c.new_side, prefix, eb); !st) return st;
    }
  }
  return Status::Ok();
}

Result<TreePtr> WriteTree(git_repository* repo, const Side& side) {
  git_index* raw_index = nullptr;
  if (git_index_new(&raw_index) != 0) return LastError("creating an index");
  IndexPtr index(raw_index);
  for (size_t i = 0; i < side.paths.size(); ++i) {
    git_index_entry ie;
    std::memset(&ie, 0, sizeof ie);
    ie.path = side.paths[i].c_str();
    ie.mode = side.modes[i];
    git_oid_cpy(&ie.id, &side.ids[i]);
    if (git_index_add(index.get(), &ie) != 0) return LastError("narrowing the diff at " + side.paths[i]);
  }
  git_oid oid;
  if (git_index_write_tree_to(&oid, index.get(), repo) != 0) return LastError("writing a narrowed tree");
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo, &oid) != 0) return LastError("reading a narrowed tree");
  return TreePtr(raw);
}

}  // namespace

Result<NarrowedTrees> NarrowTrees(git_repository* repo, git_tree* old_tree, git_tree* new_tree) {
  Side old_side, new_side;
  Collector c{repo, &old_side, &new_side};
  if (auto st = Walk(c, old_tree, new_tree, ""); !st) return st.error();
  NarrowedTrees out;
  if (old_side.paths.size() + new_side.paths.size() > kNarrowLimit) {
    // Writing thousands of entries costs more than libgit2's walk of the unchanged subtrees.
    git_tree *o = nullptr, *n = nullptr;
    if (git_tree_dup(&o, old_tree) != 0 || git_tree_dup(&n, new_tree) != 0) return LastError("copying trees");
    out.old_tree.reset(o);
    out.new_tree.reset(n);
    return out;
  }
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) != 0) return LastError("opening the object database");
  std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>> odb_hold(odb);
  git_odb_backend* mempack = nullptr;
  if (git_mempack_new(&mempack) != 0) return LastError("creating an in-memory object store");
  if (git_odb_add_backend(odb, mempack, 1000) != 0) {
    mempack->free(mempack);
    return LastError("adding the in-memory object store");
  }
  auto ot = WriteTree(repo, old_side);
  if (!ot) return ot.error();
  auto nt = WriteTree(repo, new_side);
  if (!nt) return nt.error();
  out.old_tree = std::move(*ot);
  out.new_tree = std::move(*nt);
  return out;
}

}  // namespace ringfence::git
