// ScanCache persisted in one binary file (by default <git dir>/ringfence/scan-cache.bin).
// Loaded whole on construction, written back atomically (temp file + rename) on Save when it changed.
// A missing, truncated or foreign file is treated as empty: the cache only ever saves work.
#pragma once

#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "engine/ports/scan_cache.h"

namespace ringfence::cache {

class FileScanCache : public ScanCache {
 public:
  // Bumped whenever a scanner's output for the same content may change.
  static constexpr uint32_t kFormatVersion = 3;

  // Loads the cache at `path` (empty when missing or unreadable).
  explicit FileScanCache(std::string path);
  std::optional<FileScan> Get(const std::string& blob) const override;
  void Put(const std::string& blob, const FileScan& scan) override;
  // Writes the cache if anything was added. kIo when the file cannot be written.
  Status Save() override;
  size_t size() const { return entries_.size(); }

 private:
  void Load();
  std::string path_;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, FileScan> entries_;
  bool dirty_ = false;
};

}  // namespace ringfence::cache
