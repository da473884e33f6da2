#include "adapters/common/content_digest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include <sys/stat.h>

#include "adapters/common/sha256.h"

namespace ringfence {
namespace fs = std::filesystem;
namespace {

using FileIdentity = std::tuple<dev_t, ino_t, off_t, long, long, long, long>;

bool IdentityOf(const std::string& path, FileIdentity& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  out = {st.st_dev,          st.st_ino,         st.st_size,        st.st_mtim.tv_sec,
         st.st_mtim.tv_nsec, st.st_ctim.tv_sec, st.st_ctim.tv_nsec};
  return true;
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.clear();
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) out.append(buf, static_cast<size_t>(in.gcount()));
  return !in.bad();
}

}  // namespace

ContentDigest DigestDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return {"", dir + " is not a directory"};
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    auto status = it->symlink_status(ec);
    if (ec) break;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (fs::is_symlink(status)) return {"", dir + ": " + rel + " is a symlink; images hold no links"};
    if (fs::is_regular_file(status)) {
      files.push_back(rel);
    } else if (!fs::is_directory(status)) {
      return {"", dir + ": " + rel + " is not a regular file"};
    }
  }
  if (ec) return {"", "cannot list " + dir + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  std::string lines, content;
  for (const auto& f : files) {
    if (!ReadFile(dir + "/" + f, content)) return {"", "cannot read " + dir + "/" + f};
    lines += f + '\0' + Sha256Hex(content) + "\n";
  }
  return {"sha256:" + Sha256Hex(lines), ""};
}

std::string DigestFile(const std::string& path) {
  std::string content;
  if (!ReadFile(path, content)) return "";
  return "sha256:" + Sha256Hex(content);
}

std::string DigestFileMemoized(const std::string& path) {
  static std::mutex mu;
  static std::map<std::string, std::pair<FileIdentity, std::string>> memo;
  FileIdentity before;
  if (!IdentityOf(path, before)) return "";
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = memo.find(path); it != memo.end() && it->second.first == before) return it->second.second;
  }
  std::string digest = DigestFile(path);
  FileIdentity after;
  // Remembered only when nothing changed while it was read.
  if (!digest.empty() && IdentityOf(path, after) && after == before) {
    std::lock_guard<std::mutex> lock(mu);
    memo[path] = {before, digest};
  }
  return digest;
}

}  // namespace ringfence
