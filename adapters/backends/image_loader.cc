#include "adapters/backends/image_loader.h"

#include <filesystem>

#include "adapters/common/content_digest.h"
#include "adapters/common/files.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::backends {
namespace fs = std::filesystem;

Result<ImageRef> LoadImage(const std::string& dir) {
  std::string manifest_path = dir + "/" + kImageManifestName;
  auto text = ReadWholeFile(manifest_path);
  if (!text) return Error::InvalidInput(dir + " is not an image: no " + kImageManifestName);
  auto manifest = ParseImageManifest(*text, manifest_path);
  if (!manifest) return manifest.error();
  ContentDigest content = DigestDirectory(dir);
  if (content.digest.empty()) return Error::InvalidInput(content.error);
  return ImageRef{manifest->version, content.digest, fs::absolute(dir).string()};
}

}  // namespace ringfence::backends
