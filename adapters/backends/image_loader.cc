#include "adapters/backends/image_loader.h"

#include <algorithm>
#include <filesystem>

#include "adapters/common/files.h"
#include "adapters/common/sha256.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::backends {
namespace fs = std::filesystem;

Result<ImageRef> LoadImage(const std::string& dir) {
  std::string manifest_path = dir + "/" + kImageManifestName;
  auto text = ReadWholeFile(manifest_path);
  if (!text) return Error::InvalidInput(dir + " is not an image: no " + kImageManifestName);
  auto manifest = ParseImageManifest(*text, manifest_path);
  if (!manifest) return manifest.error();
  // Digest: sha256 over "path\0sha256(content)\n" of every regular file, sorted by path.
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(files.begin(), files.end());
  std::string lines;
  for (const auto& f : files) {
    auto content = ReadWholeFile(dir + "/" + f);
    if (!content) return content.error();
    lines += f + '\0' + Sha256Hex(*content) + "\n";
  }
  return ImageRef{manifest->version, "sha256:" + Sha256Hex(lines), fs::absolute(dir).string()};
}

}  // namespace ringfence::backends
