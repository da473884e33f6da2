#include "cli/yaml_files.h"

#include <algorithm>
#include <filesystem>

#include "adapters/common/files.h"
#include "engine/rules/waivers.h"

namespace ringfence::cli {
namespace fs = std::filesystem;

namespace {
bool IsYaml(const fs::path& p) { return p.extension() == ".yaml" || p.extension() == ".yml"; }
}  // namespace

Result<std::vector<SourceFile>> ReadYamlFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> names;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file() && IsYaml(e.path())) names.push_back(e.path().string());
      }
    } else if (fs::exists(p, ec)) {
      names.push_back(p);
    } else {
      return Error::InvalidInput(p + ": no such file or directory");
    }
  }
  std::sort(names.begin(), names.end());
  std::vector<SourceFile> out;
  for (const auto& n : names) {
    auto text = ReadWholeFile(n);
    if (!text) return text.error();
    out.push_back({n, std::move(*text)});
  }
  return out;
}

std::string KindOf(const std::string& text) {
  for (const char* k : {"RuleTest", "Waivers", "Scenario", "Rules"}) {
    if (text.find(std::string("kind: ") + k) != std::string::npos) return k;
  }
  return "Rules";
}

Result<LoadedRules> LoadRulesAndWaivers(const std::vector<std::string>& paths) {
  auto files = ReadYamlFiles(paths);
  if (!files) return files.error();
  std::vector<SourceFile> rule_files;
  LoadedRules out;
  for (const auto& f : *files) {
    std::string kind = KindOf(f.text);
    if (kind == "Rules") {
      rule_files.push_back(f);
      out.files.push_back(f.path);
    } else if (kind == "Waivers") {
      auto ws = LoadWaivers(f);
      if (!ws) return ws.error();
      out.waivers.insert(out.waivers.end(), ws->begin(), ws->end());
    }
  }
  auto rules = LoadRules(rule_files);
  if (!rules) return rules.error();
  out.rules = std::move(*rules);
  AddBuiltinRules(out.rules);
  return out;
}

}  // namespace ringfence::cli
