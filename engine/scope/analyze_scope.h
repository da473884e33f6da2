// Computes the ScopeReport of a change over the DependencyGraph of the tree after it.
#pragma once

#include <optional>
#include <string>

#include "engine/graph/graph_builder.h"
#include "engine/model/change_set.h"
#include "engine/scope/blast_radius.h"
#include "engine/scope/scope_report.h"

namespace ringfence {

// Files the change removes from the tree (deletions, and the old side of renames): the graph
// keeps them as nodes so that code still importing them shows up in the blast radius.
std::vector<std::string> RemovedPaths(const ChangeSet& changes);

// The changed nodes: the new path of each file (the old one for deletions), and the old path of
// a rename.
std::vector<DependencyGraph::Vertex> ChangedNodes(const ChangeSet& changes, const DependencyGraph& graph);

ScopeReport AnalyzeScope(const ChangeSet& changes, const BuiltGraph& built);

struct Explanation {
  std::string target;
  bool found = false;  // the node exists in the graph
  bool affected = false;
  int distance = 0;
  std::vector<ScopeStep> chain;
};

// Why `target` (a path or a display name) is affected by `changes`, or that it is not.
Explanation Explain(const ChangeSet& changes, const BuiltGraph& built, const std::string& target);

}  // namespace ringfence
