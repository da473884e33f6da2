// Python module resolution: relative imports from the importer's package; absolute imports from
// each source root (the repository root, directories holding pyproject.toml, setup.py or
// setup.cfg, and their src/ folders), and for a script outside any package (its directory has no
// __init__.py) its own directory first, as Python puts it on sys.path. A module is `m.py`,
// `m.pyi` or `m/__init__.py`; importing `a.b.c` runs `a/__init__.py` and `a/b/__init__.py` first,
// so the importer depends on them too, and every module depends on its own package's __init__.py
// (and a package's __init__.py on its parent's), which Python runs before it.
#include <set>

#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

class PythonResolver : public ImportResolver {
 public:
  explicit PythonResolver(const RepoContext& ctx) : ctx_(ctx) {
    std::set<std::string> roots{""};
    for (const char* marker : {"pyproject.toml", "setup.py", "setup.cfg"}) {
      if (const auto* ids = ctx.index->FilesNamed(marker)) {
        for (int id : *ids) {
          std::string dir(DirName(ctx.index->path(id)));
          roots.insert(dir);
          roots.insert(dir.empty() ? "src" : dir + "/src");
        }
      }
    }
    if (ctx.index->FilesIn("src")) roots.insert("src");
    roots_.assign(roots.begin(), roots.end());
  }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    // A script outside any package (no __init__.py beside it) has its own directory on sys.path.
    const std::string dir(DirName(ctx_.index->path(file)));
    const bool script = ctx_.index->Find(dir.empty() ? "__init__.py" : dir + "/__init__.py") < 0;
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const std::string& spec = scan.imports[i].spec;
      int target = -1;
      if (!spec.empty() && spec[0] == '.') {
        size_t level = 0;
        while (level < spec.size() && spec[level] == '.') ++level;
        std::string base = dir;
        bool ok = true;
        for (size_t up = 1; up < level && ok; ++up) {
          if (base.empty())
            ok = false;
          else
            base = std::string(DirName(base));
        }
        if (ok) {
          target = Module(base, spec.substr(level));
          if (target >= 0) Parents(file, i, base, spec.substr(level), out);
        }
      } else {
        if (script) target = Module(dir, spec);
        if (target >= 0) {
          Parents(file, i, dir, spec, out);
        } else {
          for (const auto& root : roots_) {
            target = Module(root, spec);
            if (target >= 0) {
              Parents(file, i, root, spec, out);
              break;
            }
          }
        }
      }
      if (target >= 0 && target != file) out.push_back({i, target, {}, false});
    }
  }

  std::string PackageOf(int, const FileScan&) const override { return {}; }

  void ImplicitDependencies(int file, const FileScan&, std::vector<ImplicitDependency>& out) const override {
    std::string_view path = ctx_.index->path(file);
    std::string_view dir = DirName(path);
    std::string_view name = BaseName(path);
    if (name == "__init__.py" || name == "__init__.pyi") {
      if (dir.empty()) return;  // the top package
      dir = DirName(dir);
    }
    int init = ctx_.index->Find(dir.empty() ? std::string("__init__.py") : std::string(dir) + "/__init__.py");
    if (init >= 0 && init != file) out.push_back({init, "Python runs the package's __init__.py first"});
  }

 private:
  // `dotted` under `dir`: "a.b" -> dir/a/b.py, dir/a/b.pyi, dir/a/b/__init__.py; "" -> dir/__init__.py.
  int Module(const std::string& dir, const std::string& dotted) const {
    std::string rel = dotted;
    for (char& c : rel) {
      if (c == '.') c = '/';
    }
    std::string base = dir.empty() ? rel : rel.empty() ? dir : dir + "/" + rel;
    if (!rel.empty()) {
      for (const char* ext : {".py", ".pyi"}) {
        int id = ctx_.index->Find(base + ext);
        if (id >= 0) return id;
      }
    }
    return ctx_.index->Find(base.empty() ? "__init__.py" : base + "/__init__.py");
  }

  // The __init__.py of each package above `dotted` under `dir`: Python runs them on import.
  void Parents(int file, uint32_t import, const std::string& dir, const std::string& dotted,
               std::vector<ResolvedImport>& out) const {
    for (size_t dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', dot + 1)) {
      std::string package = dotted.substr(0, dot);
      for (char& c : package) {
        if (c == '.') c = '/';
      }
      int init = ctx_.index->Find((dir.empty() ? package : dir + "/" + package) + "/__init__.py");
      if (init >= 0 && init != file) out.push_back({import, init, {}, false});
    }
  }

  const RepoContext& ctx_;
  std::vector<std::string> roots_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakePythonResolver(const RepoContext& ctx) {
  return std::make_unique<PythonResolver>(ctx);
}

}  // namespace ringfence
