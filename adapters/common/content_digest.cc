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

std::string DigestOfFiles(std::vector<std::pair<std::string, std::string>> path_and_sha256) {
  std::sort(path_and_sha256.begin(), path_and_sha256.end());
  std::string lines;
  for (const auto& [path, sha256] : path_and_sha256) lines += path + '\0' + sha256 + "\n";
  return "sha256:" + Sha256Hex(lines);
}

ContentDigest DigestDirectory(const std::string& dir, DigestScope scope) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return {"", dir + " is not a directory"};
  struct stat root {};
  if (::lstat(dir.c_str(), &root) != 0) return {"", "cannot stat " + dir};
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    auto status = it->symlink_status(ec);
    if (ec) break;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (fs::is_symlink(status)) return {"", dir + ": " + rel + " is a symlink; images hold no links"};
    if (fs::is_regular_file(status)) {
      files.push_back(rel);
    } else if (fs::is_directory(status)) {
      struct stat st {};
      if (scope.one_file_system && ::lstat(it->path().c_str(), &st) == 0 && st.st_dev != root.st_dev)
        it.disable_recursion_pending();
    } else {
      return {"", dir + ": " + rel + " is not a regular file"};
    }
  }
  if (ec) return {"", "cannot list " + dir + ": " + ec.message()};
  std::vector<std::pair<std::string, std::string>> digests;
  digests.reserve(files.size());
  std::string content;
  for (auto& f : files) {
    std::string path = dir + "/" + f;
    if (scope.memoized) {
      std::string digest = DigestFileMemoized(path);  // "sha256:<hex>"
      if (digest.empty()) return {"", "cannot read " + path};
      digests.emplace_back(std::move(f), digest.substr(7));
      continue;
    }
    if (!ReadFile(path, content)) return {"", "cannot read " + path};
    digests.emplace_back(std::move(f), Sha256Hex(content));
  }
  return {DigestOfFiles(std::move(digests)), ""};
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
