#include "adapters/common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace ringfence {
namespace fs = std::filesystem;

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error::NotFound(path + ": no such file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error::Io("cannot read " + path);
  std::streamoff size = in.tellg();
  if (size < 0) return Error::Io("cannot read " + path);
  std::string data(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(data.data(), static_cast<std::streamsize>(data.size())))
    return Error::Io("cannot read " + path);
  return data;
}

Status WriteAtomically(const std::string& path, const std::string& data) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover of a killed writer (never followed: unlink removes the link)
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error::Io("cannot write " + tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Error::Io("cannot write " + tmp + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error::Io("cannot replace " + path);
  }
  return Status::Ok();
}

Result<int> OpenNoFollow(const std::string& path, int flags, unsigned mode) {
  if (path.empty()) return Error::InvalidInput("an empty path");
  fs::path p = fs::path(path).lexically_normal();
  std::vector<std::string> parts;
  for (const auto& part : p) {
    if (part == "/" || part.empty()) continue;
    parts.push_back(part.string());
  }
  if (parts.empty()) return Error::InvalidInput(path + ": not a file");
  int dir = ::open(p.is_absolute() ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return Error::Io("cannot open " + path + ": " + std::strerror(errno));
  std::string so_far = p.is_absolute() ? "" : ".";
  for (size_t i = 0; i < parts.size(); ++i) {
    so_far += "/" + parts[i];
    bool last = i + 1 == parts.size();
    int next = last ? ::openat(dir, parts[i].c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode)
                    : ::openat(dir, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      int err = errno;
      struct stat st;
      bool link = ::fstatat(dir, parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      ::close(dir);
      if (link)
        return Error::InvalidInput(so_far + " is a symlink; refusing to read " + path + " through it");
      if (err == ENOENT) return Error::NotFound(path + ": no such file (" + so_far + " is missing)");
      return Error::Io("cannot open " + so_far + ": " + std::strerror(err));
    }
    ::close(dir);
    dir = next;
  }
  return dir;
}

Result<std::string> ReadFileNoFollow(const std::string& path) {
  auto fd = OpenNoFollow(path, O_RDONLY);
  if (!fd) return fd.error();
  struct stat st;
  if (::fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(*fd);
    return Error::InvalidInput(path + " is not a regular file");
  }
  std::string data;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(*fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(*fd);
      return Error::Io("cannot read " + path + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(*fd);
  return data;
}

Result<std::vector<std::string>> ListFilesNoFollow(const std::string& path) {
  auto fd = OpenNoFollow(path, O_PATH);
  if (!fd) return fd.error();
  struct stat st;
  bool ok = ::fstat(*fd, &st) == 0;
  ::close(*fd);
  if (!ok) return Error::Io("cannot read " + path);
  std::vector<std::string> out;
  if (S_ISREG(st.st_mode)) return std::vector<std::string>{path};
  if (S_ISLNK(st.st_mode)) return Error::InvalidInput(path + " is a symlink; refusing to read through it");
  if (!S_ISDIR(st.st_mode)) return Error::InvalidInput(path + " is neither a file nor a directory");
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto& e = *it;
    if (e.is_symlink(ec))
      return Error::InvalidInput(e.path().string() + " is a symlink; refusing to read through it");
    if (e.is_regular_file(ec))
      out.push_back(e.path().string());
    else if (!e.is_directory(ec))
      return Error::InvalidInput(e.path().string() + " is neither a file nor a directory");
  }
  if (ec) return Error::Io("cannot list " + path + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ringfence
