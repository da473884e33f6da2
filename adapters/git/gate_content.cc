#include "adapters/git/gate_content.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "adapters/common/files.h"
#include "engine/core/text_decoding.h"

namespace ringfence::git {
namespace {

constexpr uint32_t kSymlinkMode = 0120000;

bool IsRegular(uint32_t mode) { return mode == 0100644 || mode == 0100755; }

// The bytes of one side: the working tree file when `workdir` is given (a symlink's target, never
// what it points to; the id libgit2 hashed for it names no stored blob), else the blob.
Result<std::string> SideBytes(git_repository* repo, const git_diff_file& file, uint32_t mode,
                              const std::string& workdir) {
  if (workdir.empty() && (file.flags & GIT_DIFF_FLAG_VALID_ID) && !git_oid_is_zero(&file.id)) {
    git_blob* raw = nullptr;
    int rc = git_blob_lookup(&raw, repo, &file.id);
    if (rc == GIT_ENOTFOUND) return MissingBlob(file.path ? file.path : "?", OidHex(file.id));
    if (rc != 0) return LastError("reading " + std::string(file.path ? file.path : "?"));
    BlobPtr blob(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                       static_cast<size_t>(git_blob_rawsize(blob.get())));
  }
  if (workdir.empty() || !file.path) return std::string();
  std::string path = workdir + file.path;
  if (mode == kSymlinkMode) {
    char target[4096];
    ssize_t n = readlink(path.c_str(), target, sizeof target);
    if (n < 0) return Error::Io("cannot read the symlink " + path + ": " + std::strerror(errno));
    return std::string(target, static_cast<size_t>(n));
  }
  return ReadWholeFile(path);
}

struct LineCollector {
  FileChange* f;
  static int OnLine(const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line, void* payload) {
    auto* self = static_cast<LineCollector*>(payload);
    if (line->origin == GIT_DIFF_LINE_DELETION) ++self->f->deleted;
    if (line->origin != GIT_DIFF_LINE_ADDITION) return 0;
    ++self->f->added;
    std::string text(line->content, line->content_len);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    self->f->added_lines.push_back({line->new_lineno, std::move(text)});
    return 0;
  }
};

}  // namespace

Error MissingBlob(const std::string& path, const std::string& blob) {
  return Error::InvalidInput(
      path + ": blob " + blob + " is not in the repository (a partial clone, e.g. " +
      "--filter=blob:none, fetches blobs on demand and ringfence does not): fetch it with " +
      "`git fetch --refetch origin` or clone without --filter");
}

Status InspectForGate(git_repository* repo, const git_diff_delta& d, const std::string& workdir,
                      FileChange& f) {
  if (f.submodule || f.status == ChangeStatus::kDeleted) return Status::Ok();
  auto now = SideBytes(repo, d.new_file, f.new_mode, workdir);
  if (!now) return now.error();
  if (f.new_mode == kSymlinkMode) {
    f.symlink_target = *now;
    return Status::Ok();
  }
  if (!IsRegular(f.new_mode)) return Status::Ok();
  std::string before;
  bool had_text_before = f.status != ChangeStatus::kAdded && IsRegular(f.old_mode);
  if (had_text_before) {
    auto old = SideBytes(repo, d.old_file, f.old_mode, "");
    if (!old) return old.error();
    before = std::move(*old);
  }
  if (!f.binary && !NeedsDecoding(*now) && !NeedsDecoding(before))
    return Status::Ok();  // git's text diff stands

  DecodedText after = DecodeText(*now);
  f.added_lines.clear();
  f.added = f.deleted = 0;
  if (!after.ok) {
    f.binary = true;
    f.uninspectable = after.reason;
    return Status::Ok();
  }
  DecodedText prior = had_text_before ? DecodeText(before) : DecodedText{true, "", "utf-8", ""};
  if (!prior.ok) prior.text.clear();  // every line of the new text counts as added
  f.binary = false;
  f.encoding = after.encoding == "utf-8" ? "" : after.encoding;
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);  // the macro leaves fields to the compiler
  opts.flags |= GIT_DIFF_FORCE_TEXT;
  LineCollector collect{&f};
  if (git_diff_buffers(prior.text.data(), prior.text.size(), nullptr, after.text.data(), after.text.size(),
                       nullptr, &opts, nullptr, nullptr, nullptr, &LineCollector::OnLine, &collect) != 0) {
    return LastError("diffing the decoded text of " + f.path);
  }
  return Status::Ok();
}

}  // namespace ringfence::git
