// Go: an import path names a package, a directory under the module that go.mod declares.
// Files belong to package "go:<module>/<dir>"; an import edge points at that package node.
// A module imports another module of the tree only through a local `replace` in its go.mod or a
// go.work using both; otherwise it builds against a released version. Test files (_test.go)
// depend on their package but are not part of it for importers. With platforms configured, a
// file that no platform builds (file name suffix, build constraint) has no edges.
#include <algorithm>
#include <set>

#include "engine/scanners/go_build_constraint.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

struct GoModule {
  std::string path;                  // module path from go.mod
  std::string dir;                   // directory of go.mod in the tree ("" for the root)
  std::set<std::string> local_deps;  // directories its `replace` directives point at
};

// The arguments of a directive in its one-line (`use ./a`) and block (`use ( ... )`) forms.
std::vector<std::string> DirectiveLines(std::string_view text, std::string_view directive) {
  std::vector<std::string> out;
  bool block = false;
  ForEachLine(text, [&](std::string_view line, uint32_t) {
    std::string_view t = Trim(line.substr(0, std::min(line.size(), line.find("//"))));
    if (block) {
      if (!t.empty() && t[0] == ')')
        block = false;
      else if (!t.empty())
        out.emplace_back(t);
    } else if (StartsWithWord(t, directive)) {
      std::string_view rest = Trim(t.substr(directive.size()));
      if (!rest.empty() && rest[0] == '(')
        block = true;
      else if (!rest.empty())
        out.emplace_back(rest);
    }
  });
  return out;
}

// The tree directory of a local module path ("./x", "../y") relative to `dir`, or "" if none.
bool LocalDir(const std::string& dir, std::string_view target, std::string& out) {
  if (!(target.substr(0, 2) == "./" || target.substr(0, 3) == "../" || target == "." || target == ".."))
    return false;
  return JoinPath(dir, target, out);
}

class GoResolver : public ImportResolver {
 public:
  explicit GoResolver(const RepoContext& ctx) : ctx_(ctx) {
    for (const auto& [id, text] : Read("go.mod")) {
      std::string module;
      ForEachLine(text, [&](std::string_view line, uint32_t) {
        std::string_view t = Trim(line);
        if (module.empty() && StartsWithWord(t, "module")) {
          std::string_view m = Trim(t.substr(6));
          if (!m.empty() && (m.front() == '"' || m.front() == '`')) m = m.substr(1, m.size() - 2);
          module = std::string(m);
        }
      });
      if (module.empty()) {
        warnings.push_back(ctx.index->path(id) + ": no module line");
        continue;
      }
      GoModule m{module, std::string(DirName(ctx.index->path(id))), {}};
      for (const auto& r : DirectiveLines(text, "replace")) {
        size_t arrow = r.find("=>");
        if (arrow == std::string::npos) continue;
        std::string_view target = Trim(std::string_view(r).substr(arrow + 2));
        target = target.substr(0, target.find(' '));
        std::string local;
        if (LocalDir(m.dir, target, local)) m.local_deps.insert(local);
      }
      modules_.push_back(std::move(m));
    }
    for (const auto& [id, text] : Read("go.work")) {
      std::set<std::string> used;
      std::string dir(DirName(ctx.index->path(id)));
      for (const auto& u : DirectiveLines(text, "use")) {
        std::string local;
        if (LocalDir(dir, Trim(u), local)) used.insert(local);
      }
      workspaces_.push_back(std::move(used));
    }
    if (ctx.build) platforms_ = ctx.build->platforms;
    // Longest directory first, so the innermost module owns a file.
    std::sort(modules_.begin(), modules_.end(),
              [](const GoModule& a, const GoModule& b) { return a.dir.size() > b.dir.size(); });
  }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    if (!InBuild(file, scan)) return;
    const GoModule* own = ModuleOf(DirName(ctx_.index->path(file)));
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const std::string& p = scan.imports[i].spec;
      const GoModule* best = nullptr;
      for (const auto& m : modules_) {
        bool under = p == m.path || (p.size() > m.path.size() && p.compare(0, m.path.size(), m.path) == 0 &&
                                     p[m.path.size()] == '/');
        if (under && (!best || m.path.size() > best->path.size())) best = &m;
      }
      if (!best || !Reaches(own, best)) continue;
      std::string rest = p.substr(best->path.size());
      if (!rest.empty()) rest.erase(0, 1);
      std::string dir = best->dir.empty() ? rest : rest.empty() ? best->dir : best->dir + "/" + rest;
      const auto* files = ctx_.index->FilesIn(dir);
      bool has_go = false;
      if (files) {
        for (int id : *files) has_go = has_go || LanguageOf(ctx_.index->path(id)) == Language::kGo;
      }
      if (has_go) out.push_back({i, -1, "go:" + p, false});
    }
  }

  std::string PackageOf(int file, const FileScan& scan) const override {
    if (IsTest(file) || !InBuild(file, scan)) return {};
    return DirectoryPackage(file);
  }

  std::string TestedPackageOf(int file, const FileScan& scan) const override {
    if (!IsTest(file) || !InBuild(file, scan)) return {};
    return DirectoryPackage(file);
  }

 private:
  // The files named `name` and their text; unreadable ones become warnings.
  std::vector<std::pair<int, std::string>> Read(std::string_view name) {
    std::vector<std::pair<int, std::string>> out;
    if (const auto* ids = ctx_.index->FilesNamed(name)) {
      for (int id : *ids) {
        auto text = ctx_.read(ctx_.index->path(id));
        if (text)
          out.emplace_back(id, std::move(*text));
        else
          warnings.push_back(text.error().message);
      }
    }
    return out;
  }

  bool IsTest(int file) const {
    std::string_view name = BaseName(ctx_.index->path(file));
    return name.size() > 8 && name.substr(name.size() - 8) == "_test.go";
  }

  // True when some configured platform may build the file (always with none configured).
  bool InBuild(int file, const FileScan& scan) const {
    if (platforms_.empty()) return true;
    return std::any_of(platforms_.begin(), platforms_.end(), [&](const Platform& p) {
      return GoFileInBuild(ctx_.index->path(file), scan.build_constraint, p) != Tristate::kFalse;
    });
  }

  // The innermost module holding `dir`, or nullptr.
  const GoModule* ModuleOf(std::string_view dir) const {
    for (const auto& m : modules_) {
      bool under =
          m.dir.empty() || dir == m.dir ||
          (dir.size() > m.dir.size() && dir.substr(0, m.dir.size()) == m.dir && dir[m.dir.size()] == '/');
      if (under) return &m;
    }
    return nullptr;
  }

  // Does code of module `from` build against the tree's copy of module `to`?
  bool Reaches(const GoModule* from, const GoModule* to) const {
    if (!from || from == to || from->local_deps.count(to->dir)) return true;
    return std::any_of(workspaces_.begin(), workspaces_.end(), [&](const std::set<std::string>& used) {
      return used.count(from->dir) && used.count(to->dir);
    });
  }

  std::string DirectoryPackage(int file) const {
    std::string_view dir = DirName(ctx_.index->path(file));
    const GoModule* m = ModuleOf(dir);
    if (!m) return {};
    std::string_view rest = m->dir.empty() ? dir : dir.substr(std::min(dir.size(), m->dir.size() + 1));
    return "go:" + m->path + (rest.empty() ? "" : "/" + std::string(rest));
  }

  const RepoContext& ctx_;
  std::vector<GoModule> modules_;
  std::vector<std::set<std::string>> workspaces_;  // the module directories each go.work uses
  std::vector<Platform> platforms_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeGoResolver(const RepoContext& ctx) {
  return std::make_unique<GoResolver>(ctx);
}

}  // namespace ringfence
