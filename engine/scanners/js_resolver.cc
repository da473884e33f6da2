// JavaScript/TypeScript module resolution, as Node and tsc do it for the cases a repository
// controls: relative specifiers (with extensions, index files, and TypeScript's `./x.js` naming
// `./x.ts`), the nearest tsconfig.json/jsconfig.json's baseUrl and `paths`, and bare specifiers
// naming a package of the repository (any package.json outside node_modules, e.g. workspaces),
// resolved through its `exports`/`module`/`main`/`types` entry or an index file.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

constexpr const char* kExtensions[] = {".ts",  ".tsx", ".d.ts", ".js",  ".jsx",
                                       ".mjs", ".cjs", ".mts",  ".cts", ".json"};

struct TsConfig {
  std::string dir;
  std::string base_url;                                                 // repository-relative
  std::vector<std::pair<std::string, std::vector<std::string>>> paths;  // "@app/*" -> ["src/app/*"]
  bool explicit_base = false;  // baseUrl given: bare specifiers may resolve under it
};

struct Package {
  std::string name;
  std::string dir;
  std::string entry;  // relative to dir
};

bool InNodeModules(std::string_view p) {
  return p.rfind("node_modules/", 0) == 0 || p.find("/node_modules/") != std::string_view::npos;
}

class JsResolver : public ImportResolver {
 public:
  explicit JsResolver(const RepoContext& ctx) : ctx_(ctx) {
    for (const char* name : {"tsconfig.json", "jsconfig.json"}) {
      if (const auto* ids = ctx.index->FilesNamed(name)) {
        for (int id : *ids) LoadTsConfig(ctx.index->path(id));
      }
    }
    if (const auto* ids = ctx.index->FilesNamed("package.json")) {
      for (int id : *ids) LoadPackage(ctx.index->path(id));
    }
    std::sort(packages_.begin(), packages_.end(),
              [](const Package& a, const Package& b) { return a.name.size() > b.name.size(); });
  }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    std::string_view dir = DirName(ctx_.index->path(file));
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const std::string& spec = scan.imports[i].spec;
      int target = -1;
      std::string joined;
      if (spec[0] == '.' || spec[0] == '/') {
        if (JoinPath(dir, spec, joined)) target = FileOrDirectory(joined);
      } else {
        target = ViaTsConfig(dir, spec);
        if (target < 0) target = ViaPackage(spec);
      }
      if (target >= 0 && target != file) out.push_back({i, target, {}, false});
    }
  }

  std::string PackageOf(int, const FileScan&) const override { return {}; }

 private:
  int FileOrDirectory(const std::string& p) const {
    int id = ctx_.index->Find(p);
    if (id >= 0) return id;
    for (const char* ext : kExtensions) {
      if ((id = ctx_.index->Find(p + ext)) >= 0) return id;
    }
    // TypeScript ESM: `./x.js` names `./x.ts`.
    for (const char* js : {".js", ".jsx", ".mjs", ".cjs"}) {
      std::string_view sv(p);
      std::string_view e(js);
      if (sv.size() > e.size() && sv.substr(sv.size() - e.size()) == e) {
        std::string stem(sv.substr(0, sv.size() - e.size()));
        for (const char* ts : {".ts", ".tsx", ".mts", ".cts"}) {
          if ((id = ctx_.index->Find(stem + ts)) >= 0) return id;
        }
      }
    }
    for (const char* ext : kExtensions) {
      if ((id = ctx_.index->Find(p + "/index" + ext)) >= 0) return id;
    }
    return -1;
  }

  int ViaTsConfig(std::string_view dir, const std::string& spec) const {
    const TsConfig* cfg = nullptr;
    for (const auto& c : tsconfigs_) {
      bool above =
          c.dir.empty() || dir == c.dir ||
          (dir.size() > c.dir.size() && dir.substr(0, c.dir.size()) == c.dir && dir[c.dir.size()] == '/');
      if (above && (!cfg || c.dir.size() > cfg->dir.size())) cfg = &c;
    }
    if (!cfg) return -1;
    std::string joined;
    for (const auto& [pattern, targets] : cfg->paths) {
      size_t star = pattern.find('*');
      std::string captured;
      if (star == std::string::npos) {
        if (spec != pattern) continue;
      } else {
        std::string pre = pattern.substr(0, star), post = pattern.substr(star + 1);
        if (spec.size() < pre.size() + post.size() || spec.compare(0, pre.size(), pre) != 0 ||
            spec.compare(spec.size() - post.size(), post.size(), post) != 0) {
          continue;
        }
        captured = spec.substr(pre.size(), spec.size() - pre.size() - post.size());
      }
      for (std::string t : targets) {
        size_t ts = t.find('*');
        if (ts != std::string::npos) t.replace(ts, 1, captured);
        if (JoinPath(cfg->base_url, t, joined)) {
          int id = FileOrDirectory(joined);
          if (id >= 0) return id;
        }
      }
    }
    if (cfg->explicit_base) {
      if (JoinPath(cfg->base_url, spec, joined)) return FileOrDirectory(joined);
    }
    return -1;
  }

  int ViaPackage(const std::string& spec) const {
    for (const auto& pkg : packages_) {
      if (spec != pkg.name && spec.rfind(pkg.name + "/", 0) != 0) continue;
      std::string rest = spec.size() > pkg.name.size() ? spec.substr(pkg.name.size() + 1) : "";
      std::string joined;
      if (!rest.empty()) {
        if (JoinPath(pkg.dir, rest, joined)) {
          int id = FileOrDirectory(joined);
          if (id < 0 && JoinPath(pkg.dir, "src/" + rest, joined)) id = FileOrDirectory(joined);
          if (id >= 0) return id;
        }
        continue;
      }
      if (!pkg.entry.empty() && JoinPath(pkg.dir, pkg.entry, joined)) {
        int id = FileOrDirectory(joined);
        if (id >= 0) return id;
      }
      for (const char* d : {"", "src"}) {
        if (JoinPath(pkg.dir, d, joined)) {
          int id = FileOrDirectory(joined.empty() ? "index" : joined + "/index");
          if (id >= 0) return id;
        }
      }
    }
    return -1;
  }

  void LoadTsConfig(const std::string& path) {
    if (InNodeModules(path)) return;
    auto text = ctx_.read(path);
    if (!text) return warnings.push_back(text.error().message);
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false, /*ignore_comments=*/true);
    if (!j.is_object()) return warnings.push_back(path + ": not a JSON object");
    TsConfig cfg;
    cfg.dir = std::string(DirName(path));
    cfg.base_url = cfg.dir;
    auto opts = j.find("compilerOptions");
    if (opts != j.end() && opts->is_object()) {
      auto base = opts->find("baseUrl");
      if (base != opts->end() && base->is_string()) {
        JoinPath(cfg.dir, base->get<std::string>(), cfg.base_url);
        cfg.explicit_base = true;
      }
      auto paths = opts->find("paths");
      if (paths != opts->end() && paths->is_object()) {
        for (const auto& [k, v] : paths->items()) {
          std::vector<std::string> targets;
          if (v.is_array()) {
            for (const auto& t : v) {
              if (t.is_string()) targets.push_back(t.get<std::string>());
            }
          }
          cfg.paths.emplace_back(k, std::move(targets));
        }
      }
    }
    tsconfigs_.push_back(std::move(cfg));
  }

  void LoadPackage(const std::string& path) {
    if (InNodeModules(path)) return;
    auto text = ctx_.read(path);
    if (!text) return warnings.push_back(text.error().message);
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object()) return warnings.push_back(path + ": not a JSON object");
    auto name = j.find("name");
    if (name == j.end() || !name->is_string()) return;
    Package pkg;
    pkg.name = name->get<std::string>();
    pkg.dir = std::string(DirName(path));
    auto exports = j.find("exports");
    if (exports != j.end()) {
      const nlohmann::json* e = &*exports;
      if (e->is_object() && e->contains(".")) e = &(*e)["."];
      for (int depth = 0; depth < 4 && e->is_object(); ++depth) {
        const nlohmann::json* next = nullptr;
        for (const char* cond : {"source", "import", "default", "require", "types"}) {
          if (e->contains(cond)) {
            next = &(*e)[cond];
            break;
          }
        }
        if (!next) break;
        e = next;
      }
      if (e->is_string()) pkg.entry = e->get<std::string>();
    }
    for (const char* field : {"source", "module", "main", "types"}) {
      if (!pkg.entry.empty()) break;
      auto f = j.find(field);
      if (f != j.end() && f->is_string()) pkg.entry = f->get<std::string>();
    }
    packages_.push_back(std::move(pkg));
  }

  const RepoContext& ctx_;
  std::vector<TsConfig> tsconfigs_;
  std::vector<Package> packages_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeJavaScriptResolver(const RepoContext& ctx) {
  return std::make_unique<JsResolver>(ctx);
}

}  // namespace ringfence
