#include "engine/rollout/image_manifest.h"

#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

Result<ImageManifest> Parse(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st = doc->CheckKeys(root, {"apiVersion", "kind", "version", "entrypoint"}, "an image manifest"); !st) {
    return st.error();
  }
  if (auto st = doc->CheckHeader("Image"); !st) return st.error();
  ImageManifest m;
  if (!root["version"]) return doc->ErrorAt(root, "an image needs a version");
  auto version = doc->String(root["version"], "version");
  if (!version) return version.error();
  if (version->empty()) return doc->ErrorAt(root["version"], "version is empty");
  m.version = *version;
  if (!root["entrypoint"] || !root["entrypoint"].IsSequence() || root["entrypoint"].size() == 0) {
    return doc->ErrorAt(root["entrypoint"] ? root["entrypoint"] : root, "entrypoint must be a non-empty list (argv)");
  }
  auto argv = doc->StringList(root["entrypoint"], "entrypoint");
  if (!argv) return argv.error();
  if ((*argv)[0].empty()) return doc->ErrorAt(root["entrypoint"][0], "the program is empty");
  m.entrypoint = *argv;
  return m;
}

}  // namespace

Result<ImageManifest> ParseImageManifest(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return Parse(text, path); });
}

}  // namespace ringfence
