// A reproducible initramfs: a cpio "newc" archive (libarchive) compressed with gzip (zlib), in
// which every entry is owned by root, stamped with one time, numbered in path order, and sorted,
// so the same entries always give the same bytes whatever the host, its umask or its clock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence::image {

struct ArchiveEntry {
  enum class Type { kFile, kDirectory };
  std::string path;  // relative, no leading '/': "bin/busybox"
  Type type = Type::kFile;
  unsigned mode = 0644;  // permission bits only
  std::string data;      // a file's content
};

// The directories every entry needs are added (0755); entries are sorted by path; two entries with
// one path are an error.
Result<std::string> WriteInitramfs(std::vector<ArchiveEntry> entries, int64_t mtime);

// Gzip with no name and a zero time in its header (deflate level 9).
Result<std::string> GzipDeterministic(const std::string& data);

}  // namespace ringfence::image
