// RepoIndex: fast lookups over one tree's file paths, shared by the import resolvers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/build_config.h"
#include "engine/scanners/file_scan.h"

namespace ringfence {

class RepoIndex {
 public:
  // `paths` must outlive the index.
  explicit RepoIndex(const std::vector<std::string>& paths);

  // File id (index into paths) or -1.
  int Find(std::string_view path) const;
  const std::string& path(int id) const { return (*paths_)[static_cast<size_t>(id)]; }
  size_t size() const { return paths_->size(); }
  // Ids of files directly in directory `dir` ("" for the root), or nullptr.
  const std::vector<int>* FilesIn(std::string_view dir) const;
  // Ids of files named `name` anywhere, or nullptr.
  const std::vector<int>* FilesNamed(std::string_view name) const;

 private:
  const std::vector<std::string>* paths_;
  std::unordered_map<std::string_view, int> by_path_;
  std::unordered_map<std::string_view, std::vector<int>> by_dir_;
  std::unordered_map<std::string_view, std::vector<int>> by_name_;
};

std::string_view DirName(std::string_view path);   // "a/b/c.h" -> "a/b"; "c.h" -> ""
std::string_view BaseName(std::string_view path);  // "a/b/c.h" -> "c.h"
// Joins and normalises "." and ".." segments; returns false if it climbs above the root.
bool JoinPath(std::string_view dir, std::string_view rel, std::string& out);

// What an import resolved to: a file, or a package node (Go package, Java package).
struct ResolvedImport {
  uint32_t import_index = 0;  // into FileScan::imports
  int file = -1;
  std::string package;
  bool heuristic = false;  // found by a fallback (unique file-name suffix), not by the rules
};

// Everything resolvers may consult about the tree.
struct RepoContext {
  const RepoIndex* index = nullptr;
  const std::vector<FileScan>* scans = nullptr;                 // parallel to the index's paths
  std::function<Result<std::string>(const std::string&)> read;  // configuration files by path
  std::string workdir;                 // absolute repository root, for compile_commands.json; may be empty
  const BuildConfig* build = nullptr;  // the builds conditional imports are evaluated for; may be null
};

// A file that `file` depends on without an import naming it (Python runs a package's __init__.py
// before any of its modules), with the reason an edge states.
struct ImplicitDependency {
  int file = -1;
  const char* why = "";
};

// Resolves imports of one language to files or packages in the tree.
class ImportResolver {
 public:
  virtual ~ImportResolver() = default;
  // Appends what `file`'s imports resolve to; imports of code outside the tree are skipped.
  virtual void Resolve(int file, const FileScan& scan, std::vector<ResolvedImport>& out) const = 0;
  // The package node `file` belongs to ("go:example.com/m/x", "java:a.b"), or "".
  virtual std::string PackageOf(int file, const FileScan& scan) const = 0;
  // The package whose every change reaches `file` though `file` is not part of it for importers
  // (a Go test file of that package), or "".
  virtual std::string TestedPackageOf(int, const FileScan&) const { return {}; }
  // Files `file` depends on by the language's rules rather than by an import.
  virtual void ImplicitDependencies(int, const FileScan&, std::vector<ImplicitDependency>&) const {}
  // Problems met while reading configuration (bad tsconfig.json...), as "path: message".
  std::vector<std::string> warnings;
};

// One factory per language, in engine/scanners/<lang>_resolver.cc.
std::unique_ptr<ImportResolver> MakeCppResolver(const RepoContext& ctx);
std::unique_ptr<ImportResolver> MakePythonResolver(const RepoContext& ctx);
std::unique_ptr<ImportResolver> MakeJavaScriptResolver(const RepoContext& ctx);
std::unique_ptr<ImportResolver> MakeGoResolver(const RepoContext& ctx);
std::unique_ptr<ImportResolver> MakeJavaResolver(const RepoContext& ctx);

}  // namespace ringfence
