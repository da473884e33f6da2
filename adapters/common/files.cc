#include "adapters/common/files.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ringfence {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Error::NotFound(path + ": no such file");
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Error::Io("cannot read " + path);
  std::streamoff size = in.tellg();
  if (size < 0) return Error::Io("cannot read " + path);
  std::string data(static_cast<size_t>(size), '\0');
  in.seekg(0);
  if (!in.read(data.data(), static_cast<std::streamsize>(data.size()))) return Error::Io("cannot read " + path);
  return data;
}

Status WriteAtomically(const std::string& path, const std::string& data) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f.write(data.data(), static_cast<std::streamsize>(data.size()))) return Error::Io("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error::Io("cannot replace " + path);
  }
  return Status::Ok();
}

}  // namespace ringfence
