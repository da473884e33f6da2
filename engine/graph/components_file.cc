#include "engine/graph/components_file.h"

#include <algorithm>
#include <map>

#include "engine/core/yaml_doc.h"

namespace ringfence {

namespace {

Result<ComponentsFile> ParseDocument(std::string_view text, const std::string& path) {
  auto doc = YamlDoc::Parse(text, path);
  if (!doc) return doc.error();
  const YAML::Node& root = doc->root();
  if (root.IsNull()) return Error::InvalidInput(Position(path, 1) + "empty components file");
  if (auto st = doc->CheckKeys(root, {"apiVersion", "components"}, "the components file"); !st) {
    return st.error();
  }
  if (!root["apiVersion"]) return doc->ErrorAt(root, "missing apiVersion (expected ringfence/v1)");
  auto version = doc->String(root["apiVersion"], "apiVersion");
  if (!version) return version.error();
  if (*version != "ringfence/v1") {
    return doc->ErrorAt(root["apiVersion"],
                        "unsupported apiVersion '" + *version + "' (expected ringfence/v1)");
  }
  ComponentsFile file;
  file.path = path;
  YAML::Node list = root["components"];
  if (!list) return doc->ErrorAt(root, "missing 'components'");
  if (!list.IsSequence()) return doc->ErrorAt(list, "'components' must be a list");
  std::map<std::string, int> index;
  std::vector<YAML::Node> dep_nodes;
  for (const auto& item : list) {
    if (auto st = doc->CheckKeys(
            item, {"name", "paths", "depends_on", "tier", "owners", "global_channel", "description"},
            "a component");
        !st) {
      return st.error();
    }
    Component c;
    c.line = item.Mark().line + 1;
    if (!item["name"]) return doc->ErrorAt(item, "component without a name");
    auto name = doc->String(item["name"], "name");
    if (!name) return name.error();
    if (name->empty()) return doc->ErrorAt(item["name"], "component name is empty");
    c.name = *name;
    if (index.count(c.name)) {
      return doc->ErrorAt(item["name"], "duplicate component '" + c.name + "' (first declared at line " +
                                            std::to_string(file.components[index[c.name]].line) + ")");
    }
    if (!item["paths"]) return doc->ErrorAt(item, "component '" + c.name + "' has no paths");
    auto paths = doc->StringList(item["paths"], "paths");
    if (!paths) return paths.error();
    size_t k = 0;
    for (const auto& p : *paths) {
      auto glob = PathGlob::Parse(p);
      YAML::Node at = item["paths"].IsSequence() ? item["paths"][k] : item["paths"];
      if (!glob) return doc->ErrorAt(at, glob.error().message);
      file.globs.Add(std::move(*glob));
      file.glob_owner.push_back(static_cast<int>(file.components.size()));
      ++k;
    }
    c.paths = *paths;
    if (auto st = doc->Optional(item, "depends_on", c.depends_on); !st) return st.error();
    if (item["tier"]) {
      auto tier = doc->Integer(item["tier"], "tier");
      if (!tier) return tier.error();
      if (*tier < 0 || *tier > 9) return doc->ErrorAt(item["tier"], "tier must be between 0 and 9");
      c.tier = static_cast<int>(*tier);
    }
    if (auto st = doc->Optional(item, "owners", c.owners); !st) return st.error();
    if (auto st = doc->Optional(item, "global_channel", c.global_channel); !st) return st.error();
    if (auto st = doc->Optional(item, "description", c.description); !st) return st.error();
    index[c.name] = static_cast<int>(file.components.size());
    file.components.push_back(std::move(c));
    dep_nodes.push_back(item["depends_on"]);
  }
  for (size_t i = 0; i < file.components.size(); ++i) {
    for (size_t k = 0; k < file.components[i].depends_on.size(); ++k) {
      const std::string& dep = file.components[i].depends_on[k];
      if (!index.count(dep)) {
        YAML::Node at = dep_nodes[i].IsSequence() ? dep_nodes[i][k] : dep_nodes[i];
        return doc->ErrorAt(
            at, "component '" + file.components[i].name + "' depends on unknown component '" + dep + "'");
      }
    }
  }
  return file;
}

}  // namespace

Result<ComponentsFile> ComponentsFile::Parse(std::string_view text, const std::string& path) {
  return GuardYaml(path, [&] { return ParseDocument(text, path); });
}

std::vector<ComponentsFile::Membership> ComponentsFile::Match(std::string_view file) {
  std::vector<Membership> out;
  for (int g : globs.MatchAll(file)) {
    int c = glob_owner[static_cast<size_t>(g)];
    bool seen = false;
    for (const auto& m : out) seen = seen || m.component == c;
    if (!seen) out.push_back({c, g});
  }
  std::sort(out.begin(), out.end(),
            [](const Membership& a, const Membership& b) { return a.component < b.component; });
  return out;
}

}  // namespace ringfence
