// The packages installed on this machine, as dpkg records them (dpkg-query): which package owns a
// file, and a package's version, architecture and source.
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/model/image_contents.h"

namespace ringfence::debian {

// The installed package that owns `path` ("libc6:amd64"). Tries the path as given and, for
// merged-/usr systems, with and without its /usr prefix. kNotFound when no package owns it.
Result<std::string> PackageOwning(const std::string& path);

// "libc6" or "libc6:amd64".
Result<DebianPackage> InstalledPackage(const std::string& name);

}  // namespace ringfence::debian
