#include "adapters/common/local_files.h"

#include <sys/stat.h>

#include "adapters/common/files.h"

namespace ringfence {

Result<std::vector<std::string>> LocalFiles::List(const std::string& path) const {
  return ListFilesNoFollow(path);
}

bool LocalFiles::IsDirectory(const std::string& path) const {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Result<std::string> LocalFiles::Read(const std::string& path) const { return ReadFileNoFollow(path); }

}  // namespace ringfence
