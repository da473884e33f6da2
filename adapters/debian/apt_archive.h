// Debian packages as build inputs: the candidate version of a package (or of the newest package
// whose name matches a glob) in apt's index, read with libapt-pkg, and its .deb fetched into a
// cache (apt-get download, which checks it against the signed index) or taken from a directory of
// .debs for offline builds. Every .deb used is checked against the sha256 it is expected to have.
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/model/image_contents.h"

namespace ringfence::debian {

struct DebFile {
  DebianPackage package;  // with deb_sha256
  std::string path;       // the .deb on disk
};

struct DebSource {
  std::string cache_dir;    // where downloads go (and are found again)
  std::string offline_dir;  // when set: only .debs of this directory are used, never the network
};

// `spec` is NAME, NAME=VERSION or a glob of names ("linux-image-6.1.0-*-amd64": the newest
// version among the matching names). kNotFound when nothing matches.
Result<DebFile> FetchDeb(const std::string& spec, const DebSource& source);

// A .deb's control fields (dpkg-deb -f) and sha256.
Result<DebFile> InspectDeb(const std::string& path);

}  // namespace ringfence::debian
