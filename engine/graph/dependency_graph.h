// DependencyGraph: files, components, packages/build targets and owners, joined by typed edges
// that keep their evidence. Stored on Boost.Graph with edges pointing the way impact travels:
// an edge u -> v means "a change to u reaches v", so the blast radius is plain reachability.
//
//   relation     edge (impact direction)        reads as
//   imports      imported file/package -> importer   "<v> imports <u>"
//   belongs_to   file -> component/package           "<u> belongs to <v>"
//   depends_on   dependency -> dependent component   "<v> depends on <u>"
//   owned_by     file/component -> owner             "<u> is owned by <v>"
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ringfence {

enum class NodeKind : uint8_t { kFile, kComponent, kPackage, kOwner };
enum class Relation : uint8_t { kImports, kBelongsTo, kDependsOn, kOwnedBy };

const char* ToString(NodeKind kind);
const char* ToString(Relation relation);

struct GraphNode {
  NodeKind kind = NodeKind::kFile;
  std::string name;         // file path, component name, package id, owner handle
  int tier = -1;            // components only: 0 most critical
  bool global_channel = false;
  bool deleted = false;     // a file the change deletes: kept so its importers are found
};

struct GraphEdge {
  Relation relation = Relation::kImports;
  std::string evidence_path;  // where the relation is stated (importing file, CODEOWNERS...)
  uint32_t line = 0;
  std::string detail;         // the import as written, the matching glob...
  bool heuristic = false;     // resolved by a fallback rule
};

class DependencyGraph {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, GraphNode, GraphEdge>;
  using Vertex = Graph::vertex_descriptor;
  using Edge = Graph::edge_descriptor;

  // Adds a node, or returns the existing one of that kind and name.
  Vertex AddNode(NodeKind kind, std::string_view name);
  std::optional<Vertex> Find(NodeKind kind, std::string_view name) const;
  // Finds a node by its display name: a file path, "component:NAME", a package id, an owner.
  std::optional<Vertex> FindByDisplayName(std::string_view name) const;
  void AddEdge(Vertex from, Vertex to, GraphEdge edge);

  const GraphNode& node(Vertex v) const { return graph_[v]; }
  GraphNode& node(Vertex v) { return graph_[v]; }
  const GraphEdge& edge(Edge e) const { return graph_[e]; }
  const Graph& graph() const { return graph_; }
  size_t num_nodes() const { return boost::num_vertices(graph_); }
  size_t num_edges() const { return boost::num_edges(graph_); }

  // "component:auth" for components, the plain name otherwise.
  std::string DisplayName(Vertex v) const;
  // One edge in words, e.g. "api/h.cc imports auth/token.h (api/h.cc:3 \"auth/token.h\")".
  std::string Describe(Edge e) const;

 private:
  Graph graph_;
  std::unordered_map<std::string, Vertex> by_key_;  // kind byte + name
};

}  // namespace ringfence
