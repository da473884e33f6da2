// An offline vulnerability database: a directory of OSV JSON records (as osv.dev's per-ecosystem
// all.zip unpacks), read without following symlinks. Its digest pins it: sha256 over
// "name\0sha256(content)\n" of every *.json file, sorted by name (the image digest's form).
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/image/osv.h"

namespace ringfence::image {

struct OsvDatabase {
  std::string digest;  // "sha256:..."
  std::vector<OsvRecord> records;
};

// Any record that does not parse is an error naming its file: a database is used whole or not at all.
Result<OsvDatabase> LoadOsvDatabase(const std::string& dir);

}  // namespace ringfence::image
