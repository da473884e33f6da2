// The FileReader port on the local file system, never through a symlink (files.h).
#pragma once

#include "engine/ports/file_reader.h"

namespace ringfence {

class LocalFiles : public FileReader {
 public:
  Result<std::vector<std::string>> List(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  Result<std::string> Read(const std::string& path) const override;
};

}  // namespace ringfence
