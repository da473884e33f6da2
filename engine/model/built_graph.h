// A dependency graph as built for one tree, with what the build found along the way: the value a
// GraphStore keeps and a scope reads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/model/dependency_graph.h"

namespace ringfence {

struct BuiltGraph {
  DependencyGraph graph;
  std::vector<std::string> warnings;  // configuration problems that did not stop the build
  // Source files whose imports are unknown (too large, or no text), with the reason: the graph
  // may lack their edges, so a scope over it is indeterminate.
  std::vector<std::pair<std::string, std::string>> unscanned;
  bool has_components = false;
  bool has_codeowners = false;
  size_t files = 0;
  size_t scanned = 0;                                  // files read and scanned
  size_t cache_hits = 0;                               // files whose scan came from the cache
  bool reused = false;                                 // loaded from a GraphStore instead of built
  std::vector<std::pair<std::string, double>> phases;  // wall seconds per build phase
};

}  // namespace ringfence
