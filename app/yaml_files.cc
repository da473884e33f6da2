#include "app/yaml_files.h"

#include <algorithm>
#include <filesystem>

#include "engine/core/yaml_doc.h"
#include "engine/rules/waivers.h"

namespace ringfence::app {
namespace fs = std::filesystem;

namespace {
bool IsYaml(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }
}  // namespace

Result<std::vector<SourceFile>> ReadYamlFiles(const FileReader& files,
                                              const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths) {
    auto found = files.List(p);
    if (!found) {
      if (found.error().kind == ErrorKind::kNotFound)
        return Error::InvalidInput(p + ": no such file or directory");
      return found.error();
    }
    bool dir = files.IsDirectory(p);
    size_t before = names.size();
    for (const auto& f : *found) {
      if (!dir || IsYaml(f)) names.push_back(f);
    }
    if (dir && names.size() == before)
      return Error::InvalidInput(p + ": no .yaml or .yml file in this directory");
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<SourceFile> out;
  for (const auto& n : names) {
    auto text = files.Read(n);
    if (!text) return text.error();
    out.push_back({n, std::move(*text)});
  }
  return out;
}

Result<YamlKind> KindOfFile(const SourceFile& file) {
  auto kind = YamlDoc::KindOf(file.text, file.path);
  if (!kind) return kind.error();
  if (kind->empty() || *kind == "Rules") return YamlKind::kRules;
  if (*kind == "Waivers") return YamlKind::kWaivers;
  if (*kind == "RuleTest") return YamlKind::kRuleTest;
  if (*kind == "Scenario") return YamlKind::kScenario;
  return Error::InvalidInput(file.path + ": unknown kind '" + *kind +
                             "' (Rules, Waivers, RuleTest or Scenario)");
}

Result<FilesByKind> SortByKind(const std::vector<SourceFile>& files) {
  FilesByKind out;
  for (const auto& f : files) {
    auto kind = KindOfFile(f);
    if (!kind) return kind.error();
    switch (*kind) {
      case YamlKind::kRules:
        out.rules.push_back(f);
        break;
      case YamlKind::kWaivers:
        out.waivers.push_back(f);
        break;
      case YamlKind::kRuleTest:
        out.rule_tests.push_back(f);
        break;
      case YamlKind::kScenario:
        out.scenarios.push_back(f);
        break;
    }
  }
  return out;
}

Result<LoadedRules> LoadRulesAndWaivers(const FileReader& reader, const std::vector<std::string>& paths) {
  auto files = ReadYamlFiles(reader, paths);
  if (!files) return files.error();
  auto sorted = SortByKind(*files);
  if (!sorted) return sorted.error();
  if (sorted->rules.empty()) {
    std::string list;
    for (const auto& p : paths) list += (list.empty() ? "" : ", ") + p;
    return Error::InvalidInput(list + ": no rule file (kind: Rules) found");
  }
  LoadedRules out;
  for (const auto& f : sorted->waivers) {
    auto ws = LoadWaivers(f);
    if (!ws) return ws.error();
    out.waivers.insert(out.waivers.end(), ws->begin(), ws->end());
  }
  for (const auto& f : sorted->rules) out.files.push_back(f.path);
  auto rules = LoadRules(sorted->rules);
  if (!rules) return rules.error();
  out.rules = std::move(*rules);
  AddBuiltinRules(out.rules);
  return out;
}

}  // namespace ringfence::app
