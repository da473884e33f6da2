// C/C++ include resolution, in the compiler's order: a quoted include relative to the includer,
// then the include directories (from compile_commands.json when present, else every directory
// named "include" and the repository root), then, for quoted includes and angle includes with a
// directory part, a unique file whose path ends with the include (marked heuristic).
// An include inside `#if` is an edge unless its condition is false for every configured build:
// the platforms' macros, the -D/-U flags every compile command shares, and the definitions given.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "engine/scanners/cpp_condition.h"
#include "engine/scanners/platform_macros.h"
#include "engine/scanners/repo_index.h"

namespace ringfence {
namespace {

class CppResolver : public ImportResolver {
 public:
  explicit CppResolver(const RepoContext& ctx) : ctx_(ctx) {
    LoadIncludeDirs();
    BuildScopes();
  }

  void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const override {
    const RepoIndex& idx = *ctx_.index;
    std::string candidate;
    for (uint32_t i = 0; i < scan.imports.size(); ++i) {
      const ImportRef& ref = scan.imports[i];
      if (!ref.condition.empty() && !Compiled(ref.condition)) continue;
      int target = -1;
      bool heuristic = false;
      if (!ref.spec.empty() && ref.spec[0] == '/') {
        // An absolute path (generated unity sources) names a file of the tree under its root.
        if (!db_root_.empty() && ref.spec.rfind(db_root_, 0) == 0 &&
            JoinPath("", std::string_view(ref.spec).substr(db_root_.size()), candidate)) {
          target = idx.Find(candidate);
        }
        if (target >= 0 && target != file) out.push_back({i, target, {}, false});
        continue;
      }
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
  // False when `condition` is false for every build (never with no build configured).
  bool Compiled(const std::string& condition) const {
    if (scopes_.empty()) return true;
    auto [it, fresh] = compiled_.try_emplace(condition, false);
    if (fresh) {
      it->second = std::any_of(scopes_.begin(), scopes_.end(), [&](const MacroScope& scope) {
        return EvaluateCppCondition(condition, scope) != Tristate::kFalse;
      });
    }
    return it->second;
  }

  // One scope per configured platform (one without platform macros when none is configured but
  // definitions are). A platform macro that some file of the tree #defines or #undefs is unknown.
  void BuildScopes() {
    static const BuildConfig kNone;
    const BuildConfig& build = ctx_.build ? *ctx_.build : kNone;
    if (build.empty() && db_defined_.empty() && db_undefined_.empty()) return;
    std::set<std::string> redefined;
    for (const auto& scan : *ctx_.scans)
      redefined.insert(scan.platform_macros.begin(), scan.platform_macros.end());
    std::vector<const Platform*> targets;
    for (const auto& p : build.platforms) targets.push_back(&p);
    if (targets.empty()) targets.push_back(nullptr);
    for (const Platform* target : targets) {
      MacroScope scope = target ? PlatformMacros(*target) : MacroScope{};
      for (const auto& name : redefined) {
        scope.defined.erase(name);
        scope.undefined.erase(name);
      }
      auto define = [&](const std::string& name, const std::optional<std::string>& value) {
        scope.defined.erase(name);
        scope.undefined.erase(name);
        if (value)
          scope.defined.emplace(name, *value);
        else
          scope.undefined.insert(name);
      };
      for (const auto& [name, value] : db_defined_) define(name, value);
      for (const auto& name : db_undefined_) define(name, std::nullopt);
      for (const auto& m : build.macros) define(m.name, m.value);
      scopes_.push_back(std::move(scope));
    }
  }

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
    int db_entries = 0;
    std::string& db_root = db_root_;
    std::map<std::string, std::pair<std::optional<std::string>, int>> db_macros;  // value, entries
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
        // Where the tree was when the database was written: the prefix of an entry's file
        // whose rest is a file of the tree.
        std::string file =
            entry.contains("file") && entry["file"].is_string() ? entry["file"].get<std::string>() : "";
        if (db_root.empty() && !file.empty()) {
          std::string abs = file[0] == '/' ? file : dir + "/" + file, rel;
          for (size_t slash = abs.find('/'); slash != std::string::npos; slash = abs.find('/', slash + 1)) {
            if (JoinPath("", abs.substr(slash + 1), rel) && ctx_.index->Find(rel) >= 0) {
              db_root = abs.substr(0, slash + 1);
              break;
            }
          }
        }
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
        ++db_entries;
        std::map<std::string, std::optional<std::string>> entry_macros;
        for (size_t a = 0; a < args.size(); ++a) {
          for (const char* flag : {"-D", "-U"}) {
            std::string text;
            if (args[a] == flag && a + 1 < args.size())
              text = args[a + 1];
            else if (args[a].rfind(flag, 0) == 0 && args[a].size() > 2)
              text = args[a].substr(2);
            if (text.empty()) continue;
            auto m = ParseDefine(text);
            if (!m) continue;
            entry_macros[m->name] = flag[1] == 'D' ? m->value : std::nullopt;
          }
        }
        for (const auto& [name, value] : entry_macros) {
          auto [it, fresh] = db_macros.try_emplace(name, value, 0);
          if (it->second.first == value) ++it->second.second;
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
          std::string root = ctx_.workdir.empty() ? db_root : ctx_.workdir;
          if (root.empty()) continue;
          if (!root.empty() && root.back() != '/') root += '/';
          if (abs.rfind(root, 0) == 0 && JoinPath("", abs.substr(root.size()), rel)) add(rel);
        }
      }
    }
    // A macro every compile command defines (or undefines) alike is known; any other is not.
    for (const auto& [name, seen] : db_macros) {
      if (seen.second != db_entries) continue;
      if (seen.first)
        db_defined_.emplace(name, *seen.first);
      else
        db_undefined_.push_back(name);
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
  std::string db_root_;  // where the tree was when compile_commands.json was written, with a '/'
  std::map<std::string, std::string> db_defined_;  // by every compile command
  std::vector<std::string> db_undefined_;
  std::vector<MacroScope> scopes_;
  mutable std::unordered_map<std::string, bool> compiled_;
};

}  // namespace

std::unique_ptr<ImportResolver> MakeCppResolver(const RepoContext& ctx) {
  return std::make_unique<CppResolver>(ctx);
}

}  // namespace ringfence
