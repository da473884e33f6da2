// Images on disk: a directory holding manifest.yaml (engine/rollout/image_manifest.h) and the
// files a backend boots from it (an entrypoint, or a kernel and initrd).
#pragma once

#include <string>

#include "engine/ports/session_backend.h"

namespace ringfence::backends {

// Reads `dir`/manifest.yaml and computes the image's digest (sha256 over its files' paths and
// contents). Errors name the manifest's path:line:col.
Result<ImageRef> LoadImage(const std::string& dir);

}  // namespace ringfence::backends
