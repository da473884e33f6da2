#include "adapters/git/patch_id.h"

#include "engine/core/hex.h"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <memory>

#include "adapters/git/git_handle.h"

namespace ringfence::git {
namespace {

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// SHA-1 over the lines of one file's patch; files are summed (with carry) so that their order
// does not matter, as git's stable ids are.
class FileHash {
 public:
  FileHash() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_.get(), EVP_sha1(), nullptr); }
  void Update(std::string_view s) { EVP_DigestUpdate(ctx_.get(), s.data(), s.size()); }
  // Adds this file's digest into `sum` and starts over.
  void FlushInto(std::array<unsigned char, 20>& sum) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &len);
    EVP_DigestInit_ex(ctx_.get(), EVP_sha1(), nullptr);
    unsigned carry = 0;
    for (size_t i = 0; i < sum.size(); ++i) {
      carry += sum[i] + digest[i];
      sum[i] = static_cast<unsigned char>(carry);
      carry >>= 8;
    }
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

// "@@ -a[,b] +c[,d] @@": the line counts b and d (1 when omitted).
bool HunkCounts(std::string_view line, int& before, int& after) {
  auto number = [](std::string_view s, size_t& i, int& out) {
    size_t start = i;
    long v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && v < 100000000)
      v = v * 10 + (s[i++] - '0');
    out = static_cast<int>(v);
    return i > start;
  };
  size_t i = 4;
  int start = 0;
  if (!number(line, i, start)) return false;
  before = 1;
  if (i < line.size() && line[i] == ',' && !number(line, ++i, before)) return false;
  if (i + 1 >= line.size() || line[i] != ' ' || line[i + 1] != '+') return false;
  i += 2;
  if (!number(line, i, start)) return false;
  after = 1;
  if (i < line.size() && line[i] == ',' && !number(line, ++i, after)) return false;
  return true;
}

}  // namespace

std::string VerbatimPatchIdOfText(std::string_view text) {
  std::array<unsigned char, 20> sum{};
  FileHash hash;
  size_t hashed = 0;
  int before = -1, after = -1;
  bool binary = false;
  std::string pre_oid, post_oid;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view line = text.substr(pos, end - pos);
    pos = end;
    if (StartsWith(line, "\\ ") && line.size() > 12) {  // "\ No newline at end of file"
      hash.Update(line);
      continue;
    }
    if (hashed == 0 && !StartsWith(line, "diff ")) continue;
    if (before == -1) {
      if (StartsWith(line, "GIT binary patch") || StartsWith(line, "Binary files")) {
        binary = true;
        before = 0;
        hash.Update(pre_oid);
        hash.Update(post_oid);
        hash.FlushInto(sum);
        continue;
      }
      if (StartsWith(line, "index ")) {
        std::string_view ids = line.substr(6);
        size_t dots = ids.find("..");
        if (dots != std::string_view::npos) {
          size_t stop = ids.find_first_of(" \n", dots + 2);
          pre_oid = std::string(ids.substr(0, dots));
          post_oid = std::string(ids.substr(
              dots + 2, stop == std::string_view::npos ? std::string_view::npos : stop - dots - 2));
        }
        continue;
      }
      if (StartsWith(line, "--- ")) {
        before = after = 1;
      } else if (line.empty() || !std::isalpha(static_cast<unsigned char>(line[0]))) {
        break;
      }
    }
    if (binary) {
      if (StartsWith(line, "diff ")) {
        binary = false;
        before = -1;
      }
      continue;
    }
    if (before == 0 && after == 0) {
      if (StartsWith(line, "@@ -")) {
        if (!HunkCounts(line, before, after)) before = after = 0;
        continue;
      }
      if (!StartsWith(line, "diff ")) break;
      hash.FlushInto(sum);
      before = after = -1;
    }
    if (!line.empty() && (line[0] == '-' || line[0] == ' ')) --before;
    if (!line.empty() && (line[0] == '+' || line[0] == ' ')) --after;
    hashed += line.size();
    hash.Update(line);
  }
  if (hashed == 0) return "";
  hash.FlushInto(sum);
  return LowerHex(sum.data(), sum.size());
}

std::string VerbatimPatchId(git_diff* diff) {
  git_buf buf = GIT_BUF_INIT;
  if (git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH) != 0) return "";
  std::string id = VerbatimPatchIdOfText(std::string_view(buf.ptr, buf.size));
  git_buf_dispose(&buf);
  return id;
}

}  // namespace ringfence::git
