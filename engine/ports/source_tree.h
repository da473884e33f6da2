// Port: read-only view of the repository's files on one side of a change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct TreeEntry {
  std::string path;  // repository-relative, '/'-separated
  std::string blob;  // hex object id; identifies content for caching (may be empty for worktree files)
  uint32_t mode = 0100644;
  uint64_t size = 0;
};

class SourceTree {
 public:
  virtual ~SourceTree() = default;
  // Identifier of the whole tree (git tree id), or "" when it has none (a working tree).
  virtual std::string TreeId() const = 0;
  // Every regular file and symlink, sorted by path. Submodules are listed with mode 0160000.
  virtual Result<std::vector<TreeEntry>> List() const = 0;
  // Content of one file. Thread-safe: scanners call it from several threads.
  virtual Result<std::string> Read(const TreeEntry& entry) const = 0;
  // Content by path, for configuration files (components.yaml, go.mod...). kNotFound if absent.
  virtual Result<std::string> ReadPath(const std::string& path) const = 0;
  // Entries (files, symlinks, submodules) at or below `path`, with their modes, sorted; empty if
  // absent. A symlink on the way to `path` is returned as the entry it is.
  virtual Result<std::vector<TreeEntry>> EntriesUnder(const std::string& path) const = 0;
  // Any blob of the repository by id (the other side of a change).
  virtual Result<std::string> ReadObject(const std::string& blob) const = 0;
  // The work tree this tree belongs to (absolute, trailing '/'); "" when none.
  virtual std::string Workdir() const = 0;
};

}  // namespace ringfence
