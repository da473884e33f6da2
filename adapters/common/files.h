// Whole-file reads and atomic whole-file writes, for every adapter and the CLI; and reads that
// refuse to go through a symlink, for files a change or a hostile state directory may have
// planted (operator rule files, the state directory).
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// The file's bytes; kNotFound when it does not exist, kIo when it cannot be read.
Result<std::string> ReadWholeFile(const std::string& path);
// Writes to a temporary file beside `path` (created 0600, never through a symlink) and renames it
// over after fsync: readers see the old or the new file, never a torn one. Creates the directory.
Status WriteAtomically(const std::string& path, const std::string& data);

// Opens `path` with `flags` (plus O_NOFOLLOW and O_CLOEXEC) walking it one component at a time,
// so that no component, the last included, may be a symlink: kInvalidInput naming the symlink.
// kNotFound when a component is missing. `mode` applies when O_CREAT creates the file.
Result<int> OpenNoFollow(const std::string& path, int flags, unsigned mode = 0600);
// ReadWholeFile through OpenNoFollow.
Result<std::string> ReadFileNoFollow(const std::string& path);
// The regular files at or below `path` (a file or a directory), sorted; kInvalidInput when
// `path` or anything below it is a symlink, or is neither a file nor a directory.
Result<std::vector<std::string>> ListFilesNoFollow(const std::string& path);

}  // namespace ringfence
