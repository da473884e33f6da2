#include "engine/rules/dependency_bumps.h"

#include <map>
#include <nlohmann/json.hpp>

#include "engine/scanners/file_scan.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

int LineOf(const std::string& text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

void ParsePackageJson(const std::string& text, std::vector<std::pair<std::string, DeclaredDependency>>& out) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return;
  for (const char* section :
       {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    auto s = j.find(section);
    if (s == j.end() || !s->is_object()) continue;
    for (const auto& [name, v] : s->items()) {
      if (!v.is_string()) continue;
      size_t at = text.find("\"" + name + "\"");
      out.push_back({name, {v.get<std::string>(), at == std::string::npos ? 0 : LineOf(text, at)}});
    }
  }
}

void ParseGoMod(const std::string& text, std::vector<std::pair<std::string, DeclaredDependency>>& out) {
  bool block = false;
  ForEachLine(text, [&](std::string_view line, uint32_t n) {
    std::string_view t = Trim(line.substr(0, line.find("//")));
    if (t.empty()) return;
    if (block) {
      if (t[0] == ')') {
        block = false;
        return;
      }
    } else if (StartsWithWord(t, "require")) {
      t = TrimLeft(t.substr(7));
      if (!t.empty() && t[0] == '(') {
        block = true;
        return;
      }
    } else {
      return;
    }
    size_t sp = t.find_first_of(" \t");
    if (sp == std::string_view::npos) return;
    out.push_back({std::string(t.substr(0, sp)), {std::string(Trim(t.substr(sp))), static_cast<int>(n)}});
  });
}

void ParseCargoToml(const std::string& text, std::vector<std::pair<std::string, DeclaredDependency>>& out) {
  bool in_deps = false;
  ForEachLine(text, [&](std::string_view line, uint32_t n) {
    std::string_view t = Trim(line.substr(0, line.find('#')));
    if (t.empty()) return;
    if (t[0] == '[') {
      in_deps = t == "[dependencies]" || t == "[dev-dependencies]" || t == "[build-dependencies]" ||
                t == "[workspace.dependencies]";
      return;
    }
    if (!in_deps) return;
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) return;
    std::string name(Trim(t.substr(0, eq)));
    std::string_view value = Trim(t.substr(eq + 1));
    std::string version;
    if (!value.empty() && value[0] == '"') {
      version = std::string(value.substr(1, value.find('"', 1) - 1));
    } else if (size_t v = value.find("version"); v != std::string_view::npos) {
      size_t q1 = value.find('"', v);
      size_t q2 = q1 == std::string_view::npos ? q1 : value.find('"', q1 + 1);
      if (q2 != std::string_view::npos) version = std::string(value.substr(q1 + 1, q2 - q1 - 1));
    }
    if (!name.empty()) out.push_back({name, {version, static_cast<int>(n)}});
  });
}

void ParseRequirements(const std::string& text,
                       std::vector<std::pair<std::string, DeclaredDependency>>& out) {
  ForEachLine(text, [&](std::string_view line, uint32_t n) {
    std::string_view t = Trim(line.substr(0, line.find('#')));
    if (t.empty() || t[0] == '-') return;
    size_t op = t.find_first_of("=<>~!;[ ");
    std::string name(t.substr(0, op));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string version = op == std::string_view::npos ? "" : std::string(Trim(t.substr(op)));
    if (!name.empty()) out.push_back({name, {version, static_cast<int>(n)}});
  });
}

// The first dotted number in a constraint: "^1.2.3" -> {1,2,3}; "v0.4" -> {0,4}.
std::vector<long> Numbers(const std::string& v) {
  std::vector<long> out;
  size_t i = v.find_first_of("0123456789");
  while (i != std::string::npos && i < v.size() && out.size() < 3) {
    long n = 0;
    size_t j = i;
    while (j < v.size() && std::isdigit(static_cast<unsigned char>(v[j])) && j - i < 9)
      n = n * 10 + (v[j++] - '0');
    out.push_back(n);
    if (j >= v.size() || v[j] != '.') break;
    i = j + 1;
  }
  return out;
}

}  // namespace

std::string EcosystemOf(const std::string& path) {
  std::string_view name = BaseName(path);
  if (name == "package.json") return "npm";
  if (name == "go.mod") return "go";
  if (name == "Cargo.toml") return "cargo";
  if (name.rfind("requirements", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".txt")
    return "pypi";
  return "";
}

std::vector<std::pair<std::string, DeclaredDependency>> ParseManifest(const std::string& path,
                                                                      const std::string& text) {
  std::vector<std::pair<std::string, DeclaredDependency>> out;
  std::string eco = EcosystemOf(path);
  if (eco == "npm") ParsePackageJson(text, out);
  if (eco == "go") ParseGoMod(text, out);
  if (eco == "cargo") ParseCargoToml(text, out);
  if (eco == "pypi") ParseRequirements(text, out);
  return out;
}

DependencyBump::Level CompareVersions(const std::string& from, const std::string& to) {
  auto a = Numbers(from), b = Numbers(to);
  if (a.empty() || b.empty()) return DependencyBump::Level::kOther;
  a.resize(3, 0);
  b.resize(3, 0);
  if (a[0] != b[0]) return DependencyBump::Level::kMajor;
  if (a[1] != b[1]) return a[0] == 0 ? DependencyBump::Level::kMajor : DependencyBump::Level::kMinor;
  if (a[2] != b[2]) return DependencyBump::Level::kPatch;
  return DependencyBump::Level::kOther;
}

std::vector<DependencyBump> FindDependencyBumps(const ChangeSet& changes, const ReadSide& before,
                                                const ReadSide& after) {
  std::vector<DependencyBump> out;
  for (const auto& f : changes.files) {
    std::string eco = EcosystemOf(f.path);
    if (eco.empty() || f.binary) continue;
    std::map<std::string, DeclaredDependency> old_deps, new_deps;
    if (f.status != ChangeStatus::kAdded) {
      if (auto text = before(f.old_path)) {
        for (auto& [k, v] : ParseManifest(f.old_path, *text)) old_deps[k] = v;
      }
    }
    if (f.status != ChangeStatus::kDeleted) {
      if (auto text = after(f.path)) {
        for (auto& [k, v] : ParseManifest(f.path, *text)) new_deps[k] = v;
      }
    }
    for (const auto& [name, nd] : new_deps) {
      auto it = old_deps.find(name);
      DependencyBump b{f.path,
                       nd.line,
                       eco,
                       name,
                       it == old_deps.end() ? "" : it->second.version,
                       nd.version,
                       DependencyBump::Level::kAdded};
      if (it != old_deps.end()) {
        if (it->second.version == nd.version) continue;
        b.level = CompareVersions(it->second.version, nd.version);
      }
      out.push_back(std::move(b));
    }
    for (const auto& [name, od] : old_deps) {
      if (!new_deps.count(name)) {
        out.push_back({f.path, 0, eco, name, od.version, "", DependencyBump::Level::kRemoved});
      }
    }
  }
  return out;
}

}  // namespace ringfence
