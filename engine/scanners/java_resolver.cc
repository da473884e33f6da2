// Java: a class import names the file that declares `package a.b;` and is called C.java,
// wherever its source root is; a wildcard or static import names the package or the class.
#include <unordered_map>

#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

class JavaResolver : public ImportResolver {
 public:
  explicit JavaResolver(const RepoContext& ctx) {
    for (size_t id = 0; id < ctx.index->size(); ++id) {
      const FileScan& s = (*ctx.scans)[id];
      if (s.language != Language::kJava) continue;
      std::string_view name = BaseName(ctx.index->path(static_cast<int>(id)));
      name.remove_suffix(5);  // ".java"
      std::string fqn = s.package.empty() ? std::string(name) : s.package + "." + std::string(name);
      classes_.emplace(std::move(fqn), static_cast<int>(id));
      if (!s.package.empty()) packages_.emplace(s.package, true);
    }
  }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      std::string name = scan.imports[i].spec;
      if (name.size() > 2 && name.compare(name.size() - 2, 2, ".*") == 0) {
        std::string pkg = name.substr(0, name.size() - 2);
        if (packages_.count(pkg)) {
          out.push_back({i, -1, "java:" + pkg, false});
          continue;
        }
        name = pkg;  // `import static a.b.C.*`
      }
      // Nested classes and static members: strip trailing segments until a class matches.
      while (!name.empty()) {
        auto it = classes_.find(name);
        if (it != classes_.end()) {
          if (it->second != file) out.push_back({i, it->second, {}, false});
          break;
        }
        size_t dot = name.rfind('.');
        if (dot == std::string::npos) break;
        name.resize(dot);
      }
    }
  }

  std::string PackageOf(int, const FileScan& scan) const override {
    return scan.package.empty() ? std::string() : "java:" + scan.package;
  }

 private:
  std::unordered_map<std::string, int> classes_;
  std::unordered_map<std::string, bool> packages_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeJavaResolver(const RepoContext& ctx) {
  return std::make_unique<JavaResolver>(ctx);
}

}  // namespace ringfence
