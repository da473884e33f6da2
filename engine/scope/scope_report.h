// ScopeReport: what a change touches and why; the input of every report format and of the gate.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/change_set.h"
#include "engine/model/dependency_graph.h"

namespace ringfence {

struct ScopeStep {
  std::string from;  // display names, in impact direction
  std::string to;
  Relation relation = Relation::kImports;
  std::string evidence;  // "path:line"
  std::string detail;
  std::string text;  // the whole step in words
};

struct AffectedNode {
  std::string node;  // display name
  NodeKind kind = NodeKind::kFile;
  int distance = 0;  // 0: changed itself
  // The edge that brings this node in on a shortest path from a changed file; empty at
  // distance 0. Following `via.from` back gives the whole chain (as `explain` prints it).
  std::optional<ScopeStep> via;
};

struct AffectedComponent {
  std::string name;
  int tier = -1;
  bool global_channel = false;
  int distance = 0;
  bool changed_directly = false;  // a changed file belongs to it
};

struct OwnerToNotify {
  std::string owner;
  int distance = 0;     // 1: owns a changed file
  std::string because;  // the node it owns that brought it in
};

struct ScopeReport {
  ChangeSet changes;
  std::vector<AffectedNode> affected;
  std::vector<AffectedComponent> components;
  std::vector<OwnerToNotify> owners;
  std::vector<std::string> unresolved;  // changed files no builder could place
  bool indeterminate = false;
  std::vector<std::string> reasons;  // why indeterminate
  std::vector<std::string> warnings;
  struct Stats {
    size_t files = 0, nodes = 0, edges = 0, scanned = 0, cache_hits = 0;
    bool reused = false;  // the graph came from the graph store
  } stats;
};

}  // namespace ringfence
