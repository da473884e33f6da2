// Whole-file reads and atomic whole-file writes, for every adapter and the CLI.
#pragma once

#include <string>

#include "engine/core/result.h"

namespace ringfence {

// The file's bytes; kNotFound when it does not exist, kIo when it cannot be read.
Result<std::string> ReadWholeFile(const std::string& path);
// Writes to a temporary file beside `path` and renames it over: readers see the old or the new
// file, never a torn one. Creates the directory.
Status WriteAtomically(const std::string& path, const std::string& data);

}  // namespace ringfence
