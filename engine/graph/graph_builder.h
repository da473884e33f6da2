// Builds the DependencyGraph of one tree: scans source files in parallel (through the ScanCache
// when given), resolves imports per language, and adds components, packages and owners.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/build_config.h"
#include "engine/model/built_graph.h"
#include "engine/ports/scan_cache.h"
#include "engine/ports/source_tree.h"

namespace ringfence {

struct GraphBuildOptions {
  int threads = 0;                          // 0: one per core
  ScanCache* cache = nullptr;               // optional
  const SourceTree* config_tree = nullptr;  // where components.yaml and CODEOWNERS are read;
                                            // defaults to the tree being built
  std::vector<std::string> deleted_files;   // kept as nodes so their importers are found
  BuildConfig build;                        // the builds conditional imports are judged for
};

// Errors: an unreadable file (kIo), a malformed components file or CODEOWNERS (kInvalidInput,
// with path:line:col).
Result<BuiltGraph> BuildGraph(const SourceTree& tree, const std::vector<TreeEntry>& entries,
                              const GraphBuildOptions& options);

// Manifest files that make their directory a package or build target.
inline constexpr const char* kManifestNames[] = {
    "package.json", "go.mod",           "Cargo.toml",     "pyproject.toml", "setup.py",    "pom.xml",
    "build.gradle", "build.gradle.kts", "CMakeLists.txt", "BUILD",          "BUILD.bazel", "meson.build"};

}  // namespace ringfence
