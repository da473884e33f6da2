// DependencyGraph: files, components, packages/build targets and owners, joined by typed edges
// that keep their evidence. Edges point the way impact travels: an edge u -> v means "a change to
// u reaches v", so the blast radius is plain reachability.
//
//   relation     edge (impact direction)              reads as
//   imports      imported file/package -> importer   "<v> imports <u>"
//   belongs_to   file -> component/package           "<u> belongs to <v>"
//   depends_on   dependency -> dependent component   "<v> depends on <u>"
//   owned_by     file/component -> owner             "<u> is owned by <v>"
//
// Two phases: nodes and edges are added, then Freeze() lays the edges out as a Boost.Graph
// compressed_sparse_row_graph (three arrays, no per-vertex allocation), which is what graph()
// returns. A 100k-file repository has ~600k edges: adjacency lists cost more to allocate and
// free than everything else in a scope.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ringfence {

enum class NodeKind : uint8_t { kFile, kComponent, kPackage, kOwner };
enum class Relation : uint8_t { kImports, kBelongsTo, kDependsOn, kOwnedBy };

const char* ToString(NodeKind kind);
const char* ToString(Relation relation);
// The relation as read along an edge u -> v, the way impact travels: "imported by",
// "belongs to", "needed by", "owned by".
const char* ArrowLabel(Relation relation);

struct GraphNode {
  NodeKind kind = NodeKind::kFile;
  std::string_view name;  // file path, component name, package id, owner handle (in the pool)
  int tier = -1;          // components only: 0 most critical
  bool global_channel = false;
  bool deleted = false;  // a file the change deletes: kept so its importers are found
};

// Compact: strings live once in the graph's pool.
struct GraphEdge {
  Relation relation = Relation::kImports;
  bool heuristic = false;  // resolved by a fallback rule
  uint32_t line = 0;
  uint32_t evidence = 0;  // file vertex that states the relation (importer, CODEOWNERS, manifest...)
  uint32_t detail = 0;    // pool id of the import as written, the matching glob... (0: none)
};

class DependencyGraph {
 public:
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, GraphEdge>;
  using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
  using Edge = boost::graph_traits<Graph>::edge_descriptor;

  // --- building (before Freeze) ---
  // Adds a node, or returns the existing one of that kind and name.
  Vertex AddNode(NodeKind kind, std::string_view name);
  // REQUIRES: `evidence` is a file vertex.
  void AddEdge(Vertex from, Vertex to, Relation relation, Vertex evidence, uint32_t line,
               std::string_view detail = {}, bool heuristic = false);
  // Adds an edge whose detail is already a pool id (used when loading a stored graph).
  void AddEdge(Vertex from, Vertex to, const GraphEdge& edge);
  // Expected sizes, to avoid regrowing while loading a stored graph.
  void Reserve(size_t nodes, size_t edges, size_t strings);
  // Bulk loading of a stored graph: strings in id order, then nodes naming them by id. Lookups
  // are indexed lazily (hashing 100k names costs more than the few lookups a scope makes).
  // REQUIRES: strings are unique and appended before the nodes that use them.
  void AppendString(std::string_view text);
  void AppendNode(GraphNode node, uint32_t name_id);
  // Lays out the edges; graph(), num_edges() and traversal need it. Idempotent.
  void Freeze();

  // --- reading ---
  std::optional<Vertex> Find(NodeKind kind, std::string_view name) const;
  // Finds a node by its display name: a file path, "component:NAME", a package id, an owner.
  std::optional<Vertex> FindByDisplayName(std::string_view name) const;
  const GraphNode& node(Vertex v) const { return nodes_[v]; }
  GraphNode& node(Vertex v) { return nodes_[v]; }
  // REQUIRES: Freeze() was called.
  const Graph& graph() const { return *graph_; }
  const GraphEdge& edge(Edge e) const { return (*graph_)[e]; }
  size_t num_nodes() const { return nodes_.size(); }
  size_t num_edges() const { return graph_ ? boost::num_edges(*graph_) : pending_.size(); }

  // Interns a string in the pool; equal strings get equal ids. "" is id 0.
  uint32_t Intern(std::string_view text);
  const std::string& Text(uint32_t id) const { return pool_[id]; }
  size_t pool_size() const { return pool_.size(); }
  std::string_view EvidencePath(const GraphEdge& e) const { return nodes_[e.evidence].name; }

  // "component:auth" for components, the plain name otherwise.
  std::string DisplayName(Vertex v) const;
  // One edge in words, e.g. "api/h.cc imports auth/token.h (api/h.cc:3 \"auth/token.h\")".
  std::string Describe(Edge e) const;

 private:
  struct KeyHash {
    size_t operator()(const std::pair<NodeKind, std::string_view>& k) const {
      return std::hash<std::string_view>()(k.second) * 31 + static_cast<size_t>(k.first);
    }
  };
  std::vector<GraphNode> nodes_;
  std::vector<std::pair<uint32_t, uint32_t>> pending_;  // edges before Freeze
  std::vector<GraphEdge> pending_props_;
  std::unique_ptr<Graph> graph_;
  mutable std::unordered_map<std::pair<NodeKind, std::string_view>, Vertex, KeyHash> by_key_;
  std::deque<std::string> pool_{""};  // a deque: elements never move, so views into them stay valid
  std::unordered_map<std::string_view, uint32_t> pool_ids_;
  // After bulk loading, the lookups above cover only the first *_indexed_ entries.
  mutable size_t nodes_indexed_ = 0;
  size_t strings_indexed_ = 1;
  mutable int unindexed_finds_ = 0;
  void IndexNodes() const;
  void IndexStrings();
};

}  // namespace ringfence
