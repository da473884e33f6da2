// The scan cache file lives in .git and may be truncated or foreign: loading it never crashes.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "adapters/cache/file_scan_cache.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/ringfence-fuzz-cache-" + std::to_string(getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  ringfence::cache::FileScanCache cache(path);
  (void)cache.Get("0000000000000000000000000000000000000000c++");
  return 0;
}
