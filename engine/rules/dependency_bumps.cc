#include "engine/rules/dependency_bumps.h"

#include <toml++/toml.h>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/text_position.h"
#include "engine/scanners/file_scan.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

int LineOf(const std::string& text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

using Declared = std::vector<std::pair<std::string, DeclaredDependency>>;

Status ParsePackageJson(const std::string& path, const std::string& text, Declared& out) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Error::InvalidInput(path + ":" + LineColumn(text, e.byte == 0 ? 0 : e.byte - 1) + ": not JSON (" +
                               e.what() + ")");
  }
  if (!j.is_object()) return Error::InvalidInput(path + ":1:1: not a JSON object");
  for (const char* section :
       {"dependencies", "devDependencies", "peerDependencies", "optionalDependencies"}) {
    auto s = j.find(section);
    if (s == j.end() || !s->is_object()) continue;
    for (const auto& [name, v] : s->items()) {
      if (!v.is_string()) continue;
      size_t at = text.find("\"" + name + "\"");
      out.push_back({name, {v.get<std::string>(), at == std::string::npos ? 0 : LineOf(text, at), section}});
    }
  }
  return Status::Ok();
}

void ParseGoMod(const std::string& text, Declared& out) {
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
    out.push_back(
        {std::string(t.substr(0, sp)), {std::string(Trim(t.substr(sp))), static_cast<int>(n), "require"}});
  });
}

// One Cargo dependency table: NAME = "1.0" or NAME = { version = ..., git = ..., path = ... }.
void CargoTable(const toml::table& table, const std::string& section, Declared& out) {
  for (const auto& [key, node] : table) {
    DeclaredDependency d;
    d.section = section;
    d.line = static_cast<int>(node.source().begin.line);
    if (auto v = node.value<std::string>()) {
      d.version = *v;
    } else if (const auto* spec = node.as_table()) {
      if (auto v = (*spec)["version"].value<std::string>()) {
        d.version = *v;
      } else if (auto git = (*spec)["git"].value<std::string>()) {
        d.version = "git " + *git;
        for (const char* pin : {"rev", "tag", "branch"}) {
          if (auto at = (*spec)[pin].value<std::string>()) d.version += "@" + *at;
        }
      } else if (auto local = (*spec)["path"].value<std::string>()) {
        d.version = "path " + *local;
      } else if ((*spec)["workspace"].value_or(false)) {
        d.version = "workspace";
      }
    }
    out.push_back({std::string(key.str()), std::move(d)});
  }
}

Status ParseCargoToml(const std::string& path, const std::string& text, Declared& out) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return Error::InvalidInput(path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                               std::string(e.description()));
  }
  auto kinds = {"dependencies", "dev-dependencies", "build-dependencies"};
  for (const char* kind : kinds) {
    if (const auto* t = doc[kind].as_table()) CargoTable(*t, kind, out);
  }
  if (const auto* t = doc["workspace"]["dependencies"].as_table())
    CargoTable(*t, "workspace.dependencies", out);
  if (const auto* targets = doc["target"].as_table()) {
    for (const auto& [cfg, node] : *targets) {
      const auto* target = node.as_table();
      if (!target) continue;
      for (const char* kind : kinds) {
        if (const auto* t = (*target)[kind].as_table())
          CargoTable(*t, "target." + std::string(cfg.str()) + "." + kind, out);
      }
    }
  }
  return Status::Ok();
}

void ParseRequirements(const std::string& text, Declared& out) {
  ForEachLine(text, [&](std::string_view line, uint32_t n) {
    std::string_view t = Trim(line.substr(0, line.find('#')));
    if (t.empty() || t[0] == '-') return;
    size_t op = t.find_first_of("=<>~!;[ ");
    std::string name(t.substr(0, op));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string version = op == std::string_view::npos ? "" : std::string(Trim(t.substr(op)));
    if (!name.empty()) out.push_back({name, {version, static_cast<int>(n), "requirements"}});
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

Result<Declared> ParseManifest(const std::string& path, const std::string& text) {
  Declared out;
  std::string eco = EcosystemOf(path);
  Status st = Status::Ok();
  if (eco == "npm") st = ParsePackageJson(path, text, out);
  if (eco == "go") ParseGoMod(text, out);
  if (eco == "cargo") st = ParseCargoToml(path, text, out);
  if (eco == "pypi") ParseRequirements(text, out);
  if (!st) return st.error();
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

DependencyChanges FindDependencyBumps(const ChangeSet& changes, const ReadSide& before,
                                      const ReadSide& after) {
  DependencyChanges out;
  auto key = [](const std::string& name, const DeclaredDependency& d) { return d.section + '\x1f' + name; };
  for (const auto& f : changes.files) {
    std::string eco = EcosystemOf(f.path);
    if (eco.empty() || f.binary) continue;
    std::map<std::string, std::pair<std::string, DeclaredDependency>> old_deps, new_deps;
    if (f.status != ChangeStatus::kAdded) {
      if (auto text = before(f.old_path)) {
        // A base that does not parse declares nothing: every dependency after it is added.
        if (auto deps = ParseManifest(f.old_path, *text)) {
          for (auto& [k, v] : *deps) old_deps[key(k, v)] = {k, v};
        }
      }
    }
    if (f.status != ChangeStatus::kDeleted) {
      if (auto text = after(f.path)) {
        auto deps = ParseManifest(f.path, *text);
        if (!deps) {
          out.unreadable.emplace_back(f.path, deps.error().message);
          continue;
        }
        for (auto& [k, v] : *deps) new_deps[key(k, v)] = {k, v};
      }
    }
    for (const auto& [k, named] : new_deps) {
      const auto& [name, nd] = named;
      auto it = old_deps.find(k);
      DependencyBump b{f.path,
                       nd.line,
                       eco,
                       name,
                       it == old_deps.end() ? "" : it->second.second.version,
                       nd.version,
                       DependencyBump::Level::kAdded};
      if (it != old_deps.end()) {
        if (it->second.second.version == nd.version) continue;
        b.level = CompareVersions(it->second.second.version, nd.version);
      }
      out.bumps.push_back(std::move(b));
    }
    for (const auto& [k, named] : old_deps) {
      if (!new_deps.count(k)) {
        out.bumps.push_back(
            {f.path, 0, eco, named.first, named.second.version, "", DependencyBump::Level::kRemoved});
      }
    }
  }
  return out;
}

}  // namespace ringfence
