#include "engine/graph/propose_components.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "engine/graph/components_file.h"

namespace ringfence {
namespace {

// Files that make their directory a unit of build or packaging.
bool IsManifest(std::string_view name) {
  static const std::set<std::string_view> kNames = {
      "package.json", "go.mod",        "Cargo.toml",       "pyproject.toml", "setup.py",      "setup.cfg",
      "pom.xml",      "build.gradle",  "build.gradle.kts", "CMakeLists.txt", "meson.build",   "BUILD",
      "BUILD.bazel",  "composer.json", "Gemfile",          "mix.exs",        "Package.swift", "__init__.py"};
  if (kNames.count(name)) return true;
  return name.size() > 7 && name.substr(name.size() - 7) == ".csproj";
}

// Vendored and generated trees belong to whatever contains them, never a component of their own.
bool InVendoredTree(std::string_view path) {
  for (std::string_view part : {"node_modules/", "vendor/", "third_party/", ".git/"}) {
    size_t at = path.find(part);
    if (at != std::string_view::npos && (at == 0 || path[at - 1] == '/')) return true;
  }
  return false;
}

std::string DirOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// A component name from a directory: "services/auth" -> "services-auth", ".github" -> "github".
std::string NameOf(const std::string& dir) {
  std::string out;
  for (char c : dir) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    if (keep)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "root" : out;
}

struct Dir {
  std::set<std::string> subdirs;  // full paths of child directories
  std::vector<std::string> files;
  std::string manifest;  // a manifest directly in it, if any
};

class Proposer {
 public:
  explicit Proposer(const std::vector<TreeEntry>& files) {
    dirs_[""];
    for (const auto& f : files) {
      std::string dir = DirOf(f.path);
      dirs_[dir].files.push_back(f.path);
      std::string name = dir.empty() ? f.path : f.path.substr(dir.size() + 1);
      if (!dir.empty() && !InVendoredTree(f.path) && IsManifest(name) && dirs_[dir].manifest.empty())
        dirs_[dir].manifest = name;
      for (std::string child = dir; !child.empty(); child = DirOf(child))
        dirs_[DirOf(child)].subdirs.insert(child);
    }
    // A directory is a component when it holds a manifest and no directory above it does (nested
    // manifests, such as a CMakeLists.txt per folder, stay in the outermost one).
    for (const auto& [dir, d] : dirs_) {
      if (d.manifest.empty()) continue;
      bool outer = true;
      for (std::string up = DirOf(dir); !up.empty() && outer; up = DirOf(up))
        outer = dirs_[up].manifest.empty();
      if (outer) units_.insert(dir);
    }
    for (const auto& u : units_)
      for (std::string up = DirOf(u); !up.empty(); up = DirOf(up)) holds_unit_.insert(up);
  }

  std::vector<ProposedComponent> Propose() {
    Cover("");
    return std::move(out_);
  }

 private:
  void Add(const std::string& dir, std::vector<std::string> paths, std::string evidence) {
    std::string name = NameOf(dir);
    for (int n = 2; taken_.count(name); ++n) name = NameOf(dir) + "-" + std::to_string(n);
    taken_.insert(name);
    out_.push_back({name, std::move(paths), std::move(evidence)});
  }

  // Places every file under `dir`: manifest directories and folders without one below become
  // components; the rest of `dir` (its own files, folders with nothing inside) is one component.
  void Cover(const std::string& dir) {
    const Dir& d = dirs_[dir];
    std::vector<std::string> rest;
    for (const auto& sub : d.subdirs) {
      if (units_.count(sub)) {
        Add(sub, {sub + "/"}, dirs_[sub].manifest + " in " + sub + "/");
      } else if (holds_unit_.count(sub)) {
        Cover(sub);
      } else if (dir.empty()) {
        Add(sub, {sub + "/"}, "top-level folder " + sub + "/");
      } else {
        rest.push_back(sub + "/");
      }
    }
    for (const auto& f : d.files) rest.push_back(f);
    if (rest.empty()) return;
    std::string evidence = dir.empty() ? "files at the top level" : "the rest of " + dir + "/";
    Add(dir, std::move(rest), evidence);
  }

  std::map<std::string, Dir> dirs_;
  std::set<std::string> units_, holds_unit_, taken_;
  std::vector<ProposedComponent> out_;
};

// A gitignore-style glob that matches exactly this path: wildcard characters escaped.
std::string Literal(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '*' || c == '?' || c == '[' || c == '\\' || (c == '!' && out.empty()) ||
        (c == '#' && out.empty()))
      out += '\\';
    out += c;
  }
  if (!out.empty() && out.back() == ' ') out.insert(out.size() - 1, "\\");  // trailing spaces are dropped
  return out;
}

std::string Yaml(const std::vector<ProposedComponent>& components, const std::string& revision) {
  YAML::Emitter e;
  e << YAML::Comment(
           "Proposed by `ringfence init` from the structure of " + revision +
           ": one component per build manifest, the rest by folder.\n"
           "Review it: merge or split components, add depends_on between them, and set each tier\n"
           "(0 most critical .. 9; until set, every component is tier 3). Owners come from CODEOWNERS\n"
           "or an owners: list here. docs/rules.md describes the file.")
    << YAML::Newline;
  e << YAML::BeginMap << YAML::Key << "apiVersion" << YAML::Value << "ringfence/v1";
  e << YAML::Key << "components" << YAML::Value << YAML::BeginSeq;
  for (const auto& c : components) {
    e << YAML::BeginMap << YAML::Key << "name" << YAML::Value << c.name;
    e << YAML::Key << "paths" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& p : c.paths) e << Literal(p);
    e << YAML::EndSeq;
    e << YAML::Key << "description" << YAML::Value << c.evidence;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace

Result<ComponentsProposal> ProposeComponents(const std::vector<TreeEntry>& files,
                                             const std::string& revision) {
  ComponentsProposal p;
  p.files = files.size();
  p.components = Proposer(files).Propose();
  p.yaml = Yaml(p.components, revision);
  auto parsed = ComponentsFile::Parse(p.yaml, kComponentsPath);
  if (!parsed)
    return Error::Internal("the proposed components file does not parse: " + parsed.error().message);
  for (const auto& f : files) {
    if (parsed->Match(f.path).empty()) p.unclaimed.push_back(f.path);
  }
  return p;
}

}  // namespace ringfence
