// ChangeSet: the files a change touches, as `git diff --numstat -M base...head` sees them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ringfence {

enum class ChangeStatus { kAdded, kModified, kDeleted, kRenamed, kCopied, kTypeChanged, kModeChanged };

const char* ToString(ChangeStatus status);

struct FileChange {
  std::string path;      // path after the change (before it, for a deletion)
  std::string old_path;  // path before the change; equals path unless renamed or copied
  ChangeStatus status = ChangeStatus::kModified;
  int similarity = 0;  // 0..100, for renames and copies
  bool binary = false;
  bool submodule = false;
  uint32_t old_mode = 0;  // git file modes (0100644, 0100755, 0120000, 0160000); 0 when absent
  uint32_t new_mode = 0;
  std::string old_blob;  // hex object ids; empty when absent or not hashed (worktree)
  std::string new_blob;
  int added = 0;  // line counts; 0 for binary files
  int deleted = 0;
  // For the gate (ChangeRequest::for_gate): the content as it will deploy. `encoding` names a
  // text encoding other than plain UTF-8 that was decoded ("utf-16le", ...; "" for UTF-8);
  // `uninspectable` says why the new content is not text rules can read ("" when it is);
  // `symlink_target` is what a symlink points to (new side).
  std::string encoding;
  std::string uninspectable;
  std::string symlink_target;
  bool IsSymlink() const { return new_mode == 0120000; }
  // Text of added lines with their new line numbers, for content rules. Not filled for binary files.
  struct AddedLine {
    int line;
    std::string text;
  };
  std::vector<AddedLine> added_lines;
};

struct CommitInfo {
  std::string id;
  std::string author_name, author_email;
  std::string committer_name, committer_email;
  std::string message;
  std::vector<std::pair<std::string, std::string>> trailers;  // "Assisted-by" -> "coding-agent v4"
};

// Which change to read.
struct ChangeRequest {
  std::string base;        // revision the change is judged against
  std::string head;        // revision of the change; ignored for worktree and patch
  bool worktree = false;   // diff base...working tree (index and unstaged edits, untracked files)
  std::string patch_file;  // diff read from a unified diff instead of the repository
  bool for_gate = false;   // also added-line text, the patch id and the commits (what rules read)
};

struct ChangeSet {
  std::string base_rev;         // as the user wrote it
  std::string head_rev;         // as the user wrote it, or "WORKTREE" / "PATCH:<file>"
  std::string base_commit;      // resolved commit id of base
  std::string merge_base;       // commit id the diff starts from (merge-base of base and head)
  std::string head_commit;      // resolved commit id of head; empty for worktree and patch
  std::string merge_base_tree;  // tree ids of the two sides, for caching; empty when unknown
  std::string head_tree;
  std::vector<FileChange> files;
  std::vector<CommitInfo> commits;  // commits in head and not in base, newest first (git log base..head)
  std::string patch_id;             // `git patch-id --verbatim` of the whole diff; empty if unknown

  int TotalAdded() const;
  int TotalDeleted() const;
};

}  // namespace ringfence
