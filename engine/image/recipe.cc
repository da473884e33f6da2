#include "engine/image/recipe.h"

#include "engine/core/yaml_doc.h"

namespace ringfence {
namespace {

bool PlainName(const std::string& s) {
  if (s.empty() || s.size() > 128) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return s != "." && s != "..";
}

Result<ImageRecipe> Parse(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (auto st = doc->CheckKeys(
          root, {"apiVersion", "kind", "name", "version", "workload", "args", "kernel", "modules", "egress"},
          "an image recipe");
      !st) {
    return st.error();
  }
  if (auto st = doc->CheckHeader("ImageBuild"); !st) return st.error();
  ImageRecipe r;
  for (auto [key, into] : {std::pair{"name", &r.name}, std::pair{"version", &r.version}}) {
    if (!root[key]) return doc->ErrorAt(root, std::string("an image recipe needs a ") + key);
    if (auto st = doc->Optional(root, key, *into); !st) return st.error();
    if (!PlainName(*into))
      return doc->ErrorAt(
          root[key], std::string(key) + " must be letters, digits, '-', '_' or '.', not '" + *into + "'");
  }
  if (auto st = doc->Optional(root, "workload", r.workload); !st) return st.error();
  if (r.workload.empty()) return doc->ErrorAt(root["workload"], "workload is empty");
  if (r.workload != "@workload" && (r.workload[0] == '/' || r.workload.find("..") != std::string::npos))
    return doc->ErrorAt(root["workload"], "workload is @workload or a path inside the recipe's directory");
  if (auto st = doc->Optional(root, "args", r.args); !st) return st.error();
  for (size_t i = 0; i < r.args.size(); ++i) {
    // The guest receives them on the kernel command line, split at ','.
    for (char c : r.args[i])
      if (c == ',' || c == ' ' || c == '"' || c < 0x21 || c > 0x7e)
        return doc->ErrorAt(root["args"][i],
                            "an argument may not hold spaces, commas, quotes or control characters");
  }
  if (auto st = doc->Optional(root, "kernel", r.kernel); !st) return st.error();
  for (char c : r.kernel)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+' || c == '*' ||
          c == '=' || c == ':' || c == '~'))
      return doc->ErrorAt(root["kernel"], "kernel is a Debian package name (a '*' glob, optional =VERSION)");
  r.modules = DefaultGuestModules();
  if (root["modules"]) {
    if (auto st = doc->Optional(root, "modules", r.modules); !st) return st.error();
    for (size_t i = 0; i < r.modules.size(); ++i)
      if (!PlainName(r.modules[i])) return doc->ErrorAt(root["modules"][i], "a module is a plain name");
  }
  if (auto st = doc->Optional(root, "egress", r.egress); !st) return st.error();
  return r;
}

}  // namespace

const std::vector<std::string>& DefaultGuestModules() {
  static const std::vector<std::string> modules = {"virtio_ring", "virtio",       "virtio_mmio",
                                                   "failover",    "net_failover", "virtio_net"};
  return modules;
}

Result<ImageRecipe> ParseImageRecipe(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return Parse(text, path); });
}

}  // namespace ringfence
