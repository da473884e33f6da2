// Port: files on disk that the operator names (rule files outside the repository, intent files,
// scenarios), read without following a symlink anywhere in their path. Implementation:
// adapters/common/local_files.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

class FileReader {
 public:
  virtual ~FileReader() = default;
  // The regular files at or below `path`, sorted; kInvalidInput for a symlink in or below it,
  // kNotFound when it does not exist.
  virtual Result<std::vector<std::string>> List(const std::string& path) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;
  virtual Result<std::string> Read(const std::string& path) const = 0;
};

}  // namespace ringfence
