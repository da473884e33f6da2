// The content digest of an image directory: sha256 over "path\0sha256(content)\n" of every regular
// file, sorted by path (relative, '/'-separated), as "sha256:<hex>". One implementation for the
// backends that verify an image before launch and the workload that measures the image it runs
// from (GET /measurement), so that both sides compute the same value.
//
// Contract: a symlink, or anything but a regular file or a directory, anywhere in the tree is an
// error (a link could point the image at content the digest never saw); so is an unreadable file.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ringfence {

struct ContentDigest {
  std::string digest;  // "sha256:<hex>", empty on error
  std::string error;   // why there is none
};

struct DigestScope {
  // A directory on another file system than the root (a mount point: /proc, /dev, a tmpfs) is not
  // entered, as `find -xdev`: a guest measures the root file system its image unpacked, not what
  // is mounted on it. Files the image held under a mount point are then missing from the digest,
  // so a mount over image content still changes it.
  bool one_file_system = false;
  // Each file's digest through DigestFileMemoized: for a session measuring itself again and
  // again. Verification before a launch reads every byte (the default).
  bool memoized = false;
};
ContentDigest DigestDirectory(const std::string& dir, DigestScope scope = {});

// The same digest over a list of (relative '/'-separated path, lower-case hex sha256 of its
// content), in any order: what an image builder computes for a tree it has not unpacked.
std::string DigestOfFiles(std::vector<std::pair<std::string, std::string>> path_and_sha256);

// sha256 of one file's bytes, "sha256:<hex>"; empty when it cannot be read.
std::string DigestFile(const std::string& path);

// DigestFile, remembered per path while the file's identity and times stay the same (device,
// inode, size, mtime and ctime: ctime cannot be set back by a writer, so an edit in place is seen).
// For callers that digest the same large executable at every launch. Thread-safe.
std::string DigestFileMemoized(const std::string& path);

}  // namespace ringfence
