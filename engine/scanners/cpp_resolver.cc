// C/C++ include resolution, in the compiler's order: a quoted include relative to the includer,
// then the include directories (from compile_commands.json when present, else every directory
// named "include" and the repository root), then, for quoted includes and angle includes with a
// directory part, a unique file whose path ends with the include (marked heuristic).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

class CppResolver : public ImportResolver {
 public:
  explicit CppResolver(const RepoContext& ctx) : ctx_(ctx) { LoadIncludeDirs(); }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    const RepoIndex& idx = *ctx_.index;
    std::string candidate;
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const ImportRef& ref = scan.imports[i];
      int target = -1;
      bool heuristic = false;
      if (!(ref.flags & ImportRef::kAngle) && JoinPath(DirName(idx.path(file)), ref.spec, candidate)) {
        target = idx.Find(candidate);
      }
      for (size_t d = 0; target < 0 && d < include_dirs_.size(); ++d) {
        if (JoinPath(include_dirs_[d], ref.spec, candidate)) target = idx.Find(candidate);
      }
      if (target < 0 && (!(ref.flags & ImportRef::kAngle) || ref.spec.find('/') != std::string::npos)) {
        target = UniqueSuffix(ref.spec);
        heuristic = target >= 0;
      }
      if (target >= 0 && target != file) out.push_back({i, target, {}, heuristic});
    }
  }

  std::string PackageOf(int, const FileScan&) const override { return {}; }

 private:
  int UniqueSuffix(const std::string& spec) const {
    std::string norm;
    if (!JoinPath("", spec, norm) || norm.empty()) return -1;
    const auto* named = ctx_.index->FilesNamed(BaseName(norm));
    if (!named) return -1;
    int found = -1;
    for (int id : *named) {
      const std::string& p = ctx_.index->path(id);
      if (p.size() > norm.size() && p.compare(p.size() - norm.size(), norm.size(), norm) == 0 &&
          p[p.size() - norm.size() - 1] == '/') {
        if (found >= 0) return -1;  // ambiguous: not a resolution
        found = id;
      }
    }
    return found;
  }

  void LoadIncludeDirs() {
    std::set<std::string> seen;
    auto add = [&](const std::string& d) {
      if (seen.insert(d).second) include_dirs_.push_back(d);
    };
    for (const char* db : {"compile_commands.json", "build/compile_commands.json"}) {
      if (ctx_.index->Find(db) < 0) continue;
      auto text = ctx_.read(db);
      if (!text) {
        warnings.push_back(text.error().message);
        continue;
      }
      nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
      if (!j.is_array()) {
        warnings.push_back(std::string(db) + ": not a JSON array of compile commands");
        continue;
      }
      for (const auto& entry : j) {
        if (!entry.is_object()) continue;
        std::string dir = entry.value("directory", "");
        std::vector<std::string> args;
        if (entry.contains("arguments") && entry["arguments"].is_array()) {
          for (const auto& a : entry["arguments"]) {
            if (a.is_string()) args.push_back(a.get<std::string>());
          }
        } else if (entry.contains("command") && entry["command"].is_string()) {
          std::string cmd = entry["command"].get<std::string>(), cur;
          for (char c : cmd + " ") {
            if (c == ' ') {
              if (!cur.empty()) args.push_back(cur);
              cur.clear();
            } else {
              cur += c;
            }
          }
        }
        for (size_t a = 0; a < args.size(); ++a) {
          std::string d;
          for (const char* flag : {"-I", "-iquote", "-isystem"}) {
            std::string f = flag;
            if (args[a] == f && a + 1 < args.size())
              d = args[a + 1];
            else if (args[a].rfind(f, 0) == 0 && args[a].size() > f.size())
              d = args[a].substr(f.size());
          }
          if (d.empty()) continue;
          std::string abs = d[0] == '/' ? d : dir + "/" + d, rel;
          if (ctx_.workdir.empty()) continue;
          std::string root = ctx_.workdir;
          if (!root.empty() && root.back() != '/') root += '/';
          if (abs.rfind(root, 0) == 0 && JoinPath("", abs.substr(root.size()), rel)) add(rel);
        }
      }
    }
    // Conventional include directories, shallowest first.
    std::vector<std::string> conventional;
    std::set<std::string> dirs;
    for (size_t id = 0; id < ctx_.index->size(); ++id) {
      std::string_view p = ctx_.index->path(static_cast<int>(id));
      for (size_t pos = p.find("include/"); pos != std::string_view::npos;
           pos = p.find("include/", pos + 1)) {
        if (pos == 0 || p[pos - 1] == '/') dirs.insert(std::string(p.substr(0, pos + 7)));
      }
    }
    conventional.assign(dirs.begin(), dirs.end());
    std::stable_sort(conventional.begin(), conventional.end(),
                     [](const std::string& a, const std::string& b) {
                       return std::count(a.begin(), a.end(), '/') < std::count(b.begin(), b.end(), '/');
                     });
    for (const auto& d : conventional) add(d);
    add("");
  }

  const RepoContext& ctx_;
  std::vector<std::string> include_dirs_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeCppResolver(const RepoContext& ctx) {
  return std::make_unique<CppResolver>(ctx);
}

}  // namespace ringfence
