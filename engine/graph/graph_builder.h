// Builds the DependencyGraph of one tree: scans source files in parallel (through the ScanCache
// when given), resolves imports per language, and adds components, packages and owners.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/graph/dependency_graph.h"
#include "engine/ports/scan_cache.h"
#include "engine/ports/source_tree.h"

namespace ringfence {

struct GraphBuildOptions {
  int threads = 0;                            // 0: one per core
  ScanCache* cache = nullptr;                 // optional
  const SourceTree* config_tree = nullptr;    // where components.yaml and CODEOWNERS are read;
                                              // defaults to the tree being built
  std::vector<std::string> deleted_files;     // kept as nodes so their importers are found
};

struct BuiltGraph {
  DependencyGraph graph;
  std::vector<std::string> warnings;  // configuration problems that did not stop the build
  // Source files whose imports are unknown (too large, or no text), with the reason: the graph
  // may lack their edges, so a scope over it is indeterminate.
  std::vector<std::pair<std::string, std::string>> unscanned;
  bool has_components = false;
  bool has_codeowners = false;
  size_t files = 0;
  size_t scanned = 0;     // files read and scanned
  size_t cache_hits = 0;  // files whose scan came from the cache
  bool reused = false;    // loaded from a GraphStore instead of built
  std::vector<std::pair<std::string, double>> phases;  // wall seconds per build phase
};

// Errors: an unreadable file (kIo), a malformed components file or CODEOWNERS (kInvalidInput,
// with path:line:col).
Result<BuiltGraph> BuildGraph(const SourceTree& tree, const std::vector<TreeEntry>& entries,
                              const GraphBuildOptions& options);

// Manifest files that make their directory a package or build target.
inline constexpr const char* kManifestNames[] = {
    "package.json", "go.mod",  "Cargo.toml",   "pyproject.toml",   "setup.py",  "pom.xml",
    "build.gradle", "build.gradle.kts", "CMakeLists.txt", "BUILD", "BUILD.bazel", "meson.build"};

}  // namespace ringfence
