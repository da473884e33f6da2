#include "adapters/git/git_change_source.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <git2/sys/repository.h>

#include "adapters/common/files.h"
#include "adapters/git/gate_content.h"
#include "adapters/git/git_handle.h"
#include "adapters/git/message_trailers.h"
#include "adapters/git/narrow_trees.h"
#include "adapters/git/patch_id.h"
#include "adapters/git/shallow_history.h"

namespace ringfence::git {
namespace {

ChangeStatus StatusOf(const git_diff_delta& d) {
  switch (d.status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
      return ChangeStatus::kAdded;
    case GIT_DELTA_DELETED:
      return ChangeStatus::kDeleted;
    case GIT_DELTA_RENAMED:
      return ChangeStatus::kRenamed;
    case GIT_DELTA_COPIED:
      return ChangeStatus::kCopied;
    case GIT_DELTA_TYPECHANGE:
      return ChangeStatus::kTypeChanged;
    default:
      break;
  }
  if (d.old_file.mode != d.new_file.mode && git_oid_equal(&d.old_file.id, &d.new_file.id)) {
    return ChangeStatus::kModeChanged;
  }
  return ChangeStatus::kModified;
}

// Lines in a blob as git counts them for a whole-file add or delete; -1 for binary content.
int BlobLines(git_repository* repo, const git_diff_file& file, const std::string& workdir) {
  std::string content;
  git_blob* raw = nullptr;
  if ((file.flags & GIT_DIFF_FLAG_VALID_ID) && !git_oid_is_zero(&file.id) &&
      git_blob_lookup(&raw, repo, &file.id) == 0) {
    BlobPtr blob(raw);
    content.assign(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                   static_cast<size_t>(git_blob_rawsize(blob.get())));
  } else if (!workdir.empty() && file.path) {
    std::ifstream in(workdir + file.path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  if (content.substr(0, 8000).find('\0') != std::string::npos) return -1;
  int n = 0;
  for (char c : content) n += c == '\n';
  if (!content.empty() && content.back() != '\n') ++n;
  return n;
}

// Appends one FileChange per delta, with line counts from the patch. `repo` may be null (a
// patch file); it is needed for type changes, which git counts as a whole delete plus add.
Status Collect(git_diff* diff, git_repository* repo, bool for_gate, bool worktree, ChangeSet& out) {
  std::string workdir = repo && git_repository_workdir(repo) ? git_repository_workdir(repo) : "";
  size_t n = git_diff_num_deltas(diff);
  out.files.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_UNMODIFIED || d->status == GIT_DELTA_IGNORED) continue;
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff, i) != 0) {
      if (repo) {  // a blob the repository lacks (a partial clone) is the user's to fix, not an I/O error
        git_odb* odb = nullptr;
        if (git_repository_odb(&odb, repo) == 0) {
          for (const git_diff_file* side : {&d->old_file, &d->new_file}) {
            if ((side->flags & GIT_DIFF_FLAG_VALID_ID) && !git_oid_is_zero(&side->id) &&
                side->mode != GIT_FILEMODE_COMMIT && !git_odb_exists(odb, &side->id)) {
              git_odb_free(odb);
              return MissingBlob(side->path ? side->path : "?", OidHex(side->id));
            }
          }
          git_odb_free(odb);
        }
      }
      return LastError("reading the diff");
    }
    PatchPtr patch(raw);
    const git_diff_delta* pd = patch ? git_patch_get_delta(patch.get()) : d;

    FileChange f;
    f.status = StatusOf(*pd);
    bool gone = f.status == ChangeStatus::kDeleted;
    f.path = gone ? pd->old_file.path : pd->new_file.path;
    f.old_path = pd->old_file.path ? pd->old_file.path : f.path;
    f.similarity =
        (f.status == ChangeStatus::kRenamed || f.status == ChangeStatus::kCopied) ? pd->similarity : 0;
    f.binary = (pd->flags & GIT_DIFF_FLAG_BINARY) != 0;
    f.old_mode = f.status == ChangeStatus::kAdded ? 0 : pd->old_file.mode;
    f.new_mode = gone ? 0 : pd->new_file.mode;
    f.submodule = f.old_mode == GIT_FILEMODE_COMMIT || f.new_mode == GIT_FILEMODE_COMMIT;
    if (f.status != ChangeStatus::kAdded && !git_oid_is_zero(&pd->old_file.id)) {
      f.old_blob = OidHex(pd->old_file.id);
    }
    if (!gone && (pd->new_file.flags & GIT_DIFF_FLAG_VALID_ID) && !git_oid_is_zero(&pd->new_file.id)) {
      f.new_blob = OidHex(pd->new_file.id);
    }
    if (f.submodule && f.old_mode == GIT_FILEMODE_COMMIT && f.new_mode == GIT_FILEMODE_COMMIT &&
        git_oid_equal(&pd->old_file.id, &pd->new_file.id)) {
      // Only the submodule's work tree is dirty: git counts no line ("-dirty" is no commit).
      f.added = f.deleted = 0;
    } else if (f.status == ChangeStatus::kTypeChanged && repo && !f.submodule) {
      int old_lines = BlobLines(repo, pd->old_file, "");
      int new_lines = BlobLines(repo, pd->new_file, workdir);
      f.binary = old_lines < 0 || new_lines < 0;
      f.deleted = f.binary ? 0 : old_lines;
      f.added = f.binary ? 0 : new_lines;
    } else if (patch && !f.binary) {
      size_t ctx = 0, adds = 0, dels = 0;
      if (git_patch_line_stats(&ctx, &adds, &dels, patch.get()) != 0) {
        return LastError("counting lines of " + f.path);
      }
      f.added = static_cast<int>(adds);
      f.deleted = static_cast<int>(dels);
      if (for_gate) {
        size_t hunks = git_patch_num_hunks(patch.get());
        for (size_t h = 0; h < hunks; ++h) {
          int lines = git_patch_num_lines_in_hunk(patch.get(), h);
          for (int l = 0; l < lines; ++l) {
            const git_diff_line* line = nullptr;
            if (git_patch_get_line_in_hunk(&line, patch.get(), h, l) != 0) continue;
            if (line->origin != GIT_DIFF_LINE_ADDITION) continue;
            std::string text(line->content, line->content_len);
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
            f.added_lines.push_back({line->new_lineno, std::move(text)});
          }
        }
      }
    }
    if (for_gate && repo) {
      if (auto st = InspectForGate(repo, *pd, worktree ? workdir : "", f); !st) return st;
    } else if (for_gate && f.binary) {
      f.uninspectable = "a binary patch: the patch does not carry the content";
    }
    out.files.push_back(std::move(f));
  }
  return Status::Ok();
}

Status FindRenames(git_diff* diff) {
  git_diff_find_options find;
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
  if (git_diff_find_similar(diff, &find) != 0) return LastError("detecting renames");
  return Status::Ok();
}

constexpr size_t kMaxCommits = 10000;  // a pull request has far fewer; a wrong base is refused, not cut

// Commits reachable from head and not from base, newest first (every one: merges included).
Result<std::vector<git_oid>> CommitIds(git_repository* repo, const git_oid& base, const git_oid& head) {
  if (git_repository_is_shallow(repo)) return ShallowCommitsBetween(repo, base, head);
  git_revwalk* raw = nullptr;
  if (git_revwalk_new(&raw, repo) != 0) return LastError("walking commits");
  std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>> walk(raw);
  git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
  if (git_revwalk_push(walk.get(), &head) != 0 || git_revwalk_hide(walk.get(), &base) != 0) {
    return LastError("walking commits");
  }
  std::vector<git_oid> out;
  git_oid oid;
  int rc;
  while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
    out.push_back(oid);
    if (out.size() > kMaxCommits) break;
  }
  if (rc != 0 && rc != GIT_ITEROVER) return LastError("walking commits");
  return out;
}

Status CollectCommits(git_repository* repo, const git_oid& base, const git_oid& head, ChangeSet& out) {
  auto ids = CommitIds(repo, base, head);
  if (!ids) return ids.error();
  if (ids->size() > kMaxCommits) {
    return Error::InvalidInput(
        "more than " + std::to_string(kMaxCommits) +
        " commits between base and head: is the base right? (every commit is judged, so " +
        "none may be left out)");
  }
  for (const auto& oid : *ids) {
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo, &oid) != 0) return LastError("reading commit " + OidHex(oid));
    CommitPtr commit(c);
    CommitInfo info;
    info.id = OidHex(oid);
    const git_signature* a = git_commit_author(commit.get());
    const git_signature* k = git_commit_committer(commit.get());
    info.author_name = a && a->name ? a->name : "";
    info.author_email = a && a->email ? a->email : "";
    info.committer_name = k && k->name ? k->name : "";
    info.committer_email = k && k->email ? k->email : "";
    const char* msg = git_commit_message(commit.get());
    info.message = msg ? msg : "";
    info.trailers = MessageTrailers(info.message);
    out.commits.push_back(std::move(info));
  }
  return Status::Ok();
}

}  // namespace

Result<ChangeSet> ParsePatch(std::string_view text, const std::string& name, bool for_gate) {
  EnsureInitialised();
  // A unified diff is text (binary hunks are base85). NUL bytes also trip libgit2's parser.
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(nul), '\n'));
    return Error::InvalidInput(Position(name, line) + "NUL byte in patch: not a text unified diff");
  }
  git_diff* raw = nullptr;
  if (git_diff_from_buffer(&raw, text.data(), text.size()) != 0) {
    return LastError(name + ": not a unified diff", ErrorKind::kInvalidInput);
  }
  DiffPtr diff(raw);
  ChangeSet cs;
  cs.head_rev = "PATCH:" + name;
  auto st = Collect(diff.get(), nullptr, for_gate, false, cs);
  if (!st) return st.error();
  if (for_gate) cs.patch_id = VerbatimPatchIdOfText(text);
  return cs;
}

Result<ChangeSet> GitChangeSource::Load(const ChangeRequest& request) {
  ChangeSet cs;
  cs.base_rev = request.base;
  if (!request.patch_file.empty()) {
    auto text = ReadWholeFile(request.patch_file);
    if (!text) return text.error().Wrap("patch file");
    auto parsed = ParsePatch(*text, request.patch_file, request.for_gate);
    if (!parsed) return parsed.error();
    parsed->base_rev = request.base;
    return std::move(*parsed);
  }

  // The gate reads no attribute the change could have written: without a work tree, libgit2
  // takes none from .gitattributes files (InspectForGate re-reads what git calls binary anyway).
  auto repo = request.for_gate && !request.worktree ? OpenRepositoryWithoutWorktree(repo_path_)
                                                    : OpenRepository(repo_path_);
  if (!repo) return repo.error();
  auto base = ResolveCommit(repo->get(), request.base);
  if (!base) return base.error().Wrap("base");
  cs.base_commit = OidHex(*git_commit_id(base->get()));

  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
  git_diff* raw = nullptr;

  if (request.worktree) {
    cs.head_rev = "WORKTREE";
    cs.merge_base = cs.base_commit;
    git_tree* tree = nullptr;
    if (git_commit_tree(&tree, base->get()) != 0) return LastError("reading base tree");
    TreePtr base_tree(tree);
    opts.flags |=
        GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
    if (git_diff_tree_to_workdir_with_index(&raw, repo->get(), base_tree.get(), &opts) != 0) {
      return LastError("diffing the working tree");
    }
  } else {
    cs.head_rev = request.head.empty() ? "HEAD" : request.head;
    auto head = ResolveCommit(repo->get(), cs.head_rev);
    if (!head) return head.error().Wrap("head");
    cs.head_commit = OidHex(*git_commit_id(head->get()));
    git_oid mb;
    int rc = git_merge_base(&mb, repo->get(), git_commit_id(base->get()), git_commit_id(head->get()));
    if (rc != 0 && git_repository_is_shallow(repo->get())) {  // libgit2 walks past the shallow boundary
      auto found = ShallowMergeBase(repo->get(), *git_commit_id(base->get()), *git_commit_id(head->get()));
      if (!found) return found.error();
      mb = *found;
      rc = 0;
    }
    if (rc == GIT_ENOTFOUND) {
      return Error::NotFound("base '" + request.base + "' and head '" + cs.head_rev +
                             "' share no history (no merge base); a shallow clone needs "
                             "`git fetch --unshallow` or a deeper fetch");
    }
    if (rc != 0) return LastError("finding the merge base");
    cs.merge_base = OidHex(mb);
    git_commit* mbc = nullptr;
    if (git_commit_lookup(&mbc, repo->get(), &mb) != 0) return LastError("reading merge base");
    CommitPtr mb_commit(mbc);
    git_tree *old_raw = nullptr, *new_raw = nullptr;
    if (git_commit_tree(&old_raw, mb_commit.get()) != 0) return LastError("reading base tree");
    TreePtr old_tree(old_raw);
    if (git_commit_tree(&new_raw, head->get()) != 0) return LastError("reading head tree");
    TreePtr new_tree(new_raw);
    // Attributes (binary, -diff) are read as git reads them for a tree diff: from the work tree's
    // .gitattributes. Without this libgit2 also loads the whole index to look for them there,
    // which costs more than the diff itself on a large repository.
    git_index* empty = nullptr;
    if (git_index_new(&empty) == 0) {
      git_repository_set_index(repo->get(), empty);
      git_index_free(empty);
    }
    cs.merge_base_tree = OidHex(*git_tree_id(old_tree.get()));
    cs.head_tree = OidHex(*git_tree_id(new_tree.get()));
    auto narrow = NarrowTrees(repo->get(), old_tree.get(), new_tree.get());
    if (!narrow) return narrow.error();
    if (git_diff_tree_to_tree(&raw, repo->get(), narrow->old_tree.get(), narrow->new_tree.get(), &opts) !=
        0) {
      return LastError("diffing " + request.base + "..." + cs.head_rev);
    }
  }
  DiffPtr diff(raw);
  auto st = FindRenames(diff.get());
  if (!st) return st.error();
  st = Collect(diff.get(), repo->get(), request.for_gate, request.worktree, cs);
  if (!st) return st.error();
  if (request.for_gate) {  // who made the change, and its identity
    cs.patch_id = VerbatimPatchId(diff.get());
    if (!request.worktree) {
      git_oid base_oid, head_oid;
      git_oid_fromstr(&base_oid, cs.base_commit.c_str());
      git_oid_fromstr(&head_oid, cs.head_commit.c_str());
      if (auto cst = CollectCommits(repo->get(), base_oid, head_oid, cs); !cst) return cst.error();
    }
  }
  return cs;
}

}  // namespace ringfence::git
