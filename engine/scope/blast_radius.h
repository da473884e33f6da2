// BlastRadius: everything a set of changed nodes reaches in the DependencyGraph, each with its
// distance and one shortest chain of edges explaining why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/dependency_graph.h"

namespace ringfence {

class BlastRadius {
 public:
  using Vertex = DependencyGraph::Vertex;
  static constexpr int kUnreached = -1;

  // Breadth-first from all `sources` at once (distance 0).
  BlastRadius(const DependencyGraph& graph, const std::vector<Vertex>& sources);

  int distance(Vertex v) const { return distance_[v]; }
  bool reached(Vertex v) const { return distance_[v] != kUnreached; }
  // Reached vertices, by distance then display name.
  std::vector<Vertex> Reached() const;
  // The edge through which `v` was reached; nullopt for a source or an unreached vertex.
  std::optional<DependencyGraph::Edge> Predecessor(Vertex v) const {
    if (v >= has_pred_.size() || !has_pred_[v]) return std::nullopt;
    return pred_edge_[v];
  }
  // The edges from a source to `v`, in order; empty for a source or an unreached vertex.
  std::vector<DependencyGraph::Edge> Chain(Vertex v) const;

 private:
  const DependencyGraph& graph_;
  std::vector<int> distance_;
  std::vector<DependencyGraph::Edge> pred_edge_;
  std::vector<bool> has_pred_;
};

}  // namespace ringfence
