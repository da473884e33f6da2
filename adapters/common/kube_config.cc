#include "adapters/common/kube_config.h"

#include <cstdlib>

#include "adapters/common/files.h"
#include "engine/core/yaml_doc.h"

namespace ringfence {

std::string CurrentKubeContext() {
  std::string path;
  if (const char* k = std::getenv("KUBECONFIG"); k && *k) {
    path = k;
    path = path.substr(0, path.find(':'));
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    path = std::string(home) + "/.kube/config";
  }
  if (path.empty()) return "";
  auto text = ReadWholeFile(path);
  if (!text) return "";
  auto context = GuardYaml(path, [&]() -> Result<std::string> {
    auto doc = YamlDoc::Parse(*text, path);
    if (!doc) return doc.error();
    const YAML::Node& c = doc->root()["current-context"];
    return c && c.IsScalar() ? c.Scalar() : std::string();
  });
  return context ? *context : "";
}

}  // namespace ringfence
