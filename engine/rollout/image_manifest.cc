#include "engine/rollout/image_manifest.h"

#include "engine/core/image_digest.h"
#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

Result<ImageManifest> Parse(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st =
          doc->CheckKeys(root, {"apiVersion", "kind", "version", "entrypoint", "env", "egress", "guest_root"},
                         "an image manifest");
      !st) {
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
    return doc->ErrorAt(root["entrypoint"] ? root["entrypoint"] : root,
                        "entrypoint must be a non-empty list (argv)");
  }
  auto argv = doc->StringList(root["entrypoint"], "entrypoint");
  if (!argv) return argv.error();
  if ((*argv)[0].empty()) return doc->ErrorAt(root["entrypoint"][0], "the program is empty");
  m.entrypoint = *argv;
  if (const YAML::Node env = root["env"]) {
    if (!env.IsMap()) return doc->ErrorAt(env, "env must be a mapping of NAME: value");
    for (const auto& kv : env) {
      auto name = doc->String(kv.first, "an env name");
      if (!name) return name.error();
      bool ok = !name->empty() && !std::isdigit(static_cast<unsigned char>((*name)[0]));
      for (char c : *name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (!ok || name->rfind("RINGFENCE_", 0) == 0) {
        return doc->ErrorAt(kv.first,
                            "env names are letters, digits and '_' (not RINGFENCE_*), not '" + *name + "'");
      }
      auto value = doc->String(kv.second, *name);
      if (!value) return value.error();
      m.env.push_back(*name + "=" + *value);
    }
  }
  if (auto st = doc->Optional(root, "egress", m.egress); !st) return st.error();
  if (const YAML::Node g = root["guest_root"]) {
    auto digest = doc->String(g, "guest_root");
    if (!digest) return digest.error();
    if (!ValidImageDigest(*digest))
      return doc->ErrorAt(g, "guest_root must be sha256:<64 lower-case hex digits>");
    m.guest_root = *digest;
  }
  return m;
}

}  // namespace

Result<ImageManifest> ParseImageManifest(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return Parse(text, path); });
}

}  // namespace ringfence
