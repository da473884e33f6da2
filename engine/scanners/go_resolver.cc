// Go: an import path names a package, a directory under the module that go.mod declares.
// Files belong to package "go:<module>/<dir>"; an import edge points at that package node.
#include <algorithm>

#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

struct GoModule {
  std::string path;  // module path from go.mod
  std::string dir;   // directory of go.mod in the tree ("" for the root)
};

class GoResolver : public ImportResolver {
 public:
  explicit GoResolver(const RepoContext& ctx) : ctx_(ctx) {
    if (const auto* ids = ctx.index->FilesNamed("go.mod")) {
      for (int id : *ids) {
        auto text = ctx.read(ctx.index->path(id));
        if (!text) {
          warnings.push_back(text.error().message);
          continue;
        }
        std::string module;
        ForEachLine(*text, [&](std::string_view line, uint32_t) {
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
        modules_.push_back({module, std::string(DirName(ctx.index->path(id)))});
      }
    }
    // Longest directory first, so the innermost module owns a file.
    std::sort(modules_.begin(), modules_.end(),
              [](const GoModule& a, const GoModule& b) { return a.dir.size() > b.dir.size(); });
  }

  void Resolve(int, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const std::string& p = scan.imports[i].spec;
      const GoModule* best = nullptr;
      for (const auto& m : modules_) {
        bool under = p == m.path || (p.size() > m.path.size() && p.compare(0, m.path.size(), m.path) == 0 &&
                                     p[m.path.size()] == '/');
        if (under && (!best || m.path.size() > best->path.size())) best = &m;
      }
      if (!best) continue;
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

  std::string PackageOf(int file, const FileScan&) const override {
    std::string_view dir = DirName(ctx_.index->path(file));
    for (const auto& m : modules_) {
      bool under =
          m.dir.empty() || dir == m.dir ||
          (dir.size() > m.dir.size() && dir.substr(0, m.dir.size()) == m.dir && dir[m.dir.size()] == '/');
      if (!under) continue;
      std::string_view rest = m.dir.empty() ? dir : dir.substr(std::min(dir.size(), m.dir.size() + 1));
      return "go:" + m.path + (rest.empty() ? "" : "/" + std::string(rest));
    }
    return {};
  }

 private:
  const RepoContext& ctx_;
  std::vector<GoModule> modules_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeGoResolver(const RepoContext& ctx) {
  return std::make_unique<GoResolver>(ctx);
}

}  // namespace ringfence
