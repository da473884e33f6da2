// Port: remembers what a scanner found in a blob, keyed by its content id, so that a warm run
// scans only the files a change touched.
#pragma once

#include <optional>
#include <string>

#include "engine/core/result.h"
#include "engine/model/file_scan.h"

namespace ringfence {

class ScanCache {
 public:
  virtual ~ScanCache() = default;
  // Thread-safe. nullopt when the blob was never scanned with this scanner version.
  virtual std::optional<FileScan> Get(const std::string& blob) const = 0;
  // Thread-safe.
  virtual void Put(const std::string& blob, const FileScan& scan) = 0;
  // Keeps what was put for the next run; failing only costs a rescan later.
  virtual Status Save() = 0;
};

}  // namespace ringfence
