#include "engine/model/dependency_graph.h"

namespace ringfence {

const char* ToString(NodeKind kind) {
  switch (kind) {
    case NodeKind::kFile:
      return "file";
    case NodeKind::kComponent:
      return "component";
    case NodeKind::kPackage:
      return "package";
    case NodeKind::kOwner:
      return "owner";
  }
  return "unknown";
}

const char* ToString(Relation relation) {
  switch (relation) {
    case Relation::kImports:
      return "imports";
    case Relation::kBelongsTo:
      return "belongs_to";
    case Relation::kDependsOn:
      return "depends_on";
    case Relation::kOwnedBy:
      return "owned_by";
  }
  return "unknown";
}

const char* ArrowLabel(Relation relation) {
  switch (relation) {
    case Relation::kImports:
      return "imported by";
    case Relation::kBelongsTo:
      return "belongs to";
    case Relation::kDependsOn:
      return "needed by";
    case Relation::kOwnedBy:
      return "owned by";
  }
  return "reaches";
}

DependencyGraph::Vertex DependencyGraph::AddNode(NodeKind kind, std::string_view name) {
  IndexNodes();
  auto found = by_key_.find({kind, name});
  if (found != by_key_.end()) return found->second;
  GraphNode n;
  n.kind = kind;
  n.name = Text(Intern(name));
  Vertex v = nodes_.size();
  nodes_.push_back(n);
  by_key_.emplace(std::make_pair(kind, n.name), v);
  nodes_indexed_ = nodes_.size();
  graph_.reset();  // a new vertex invalidates the layout
  return v;
}

void DependencyGraph::AppendString(std::string_view text) { pool_.emplace_back(text); }

void DependencyGraph::AppendNode(GraphNode node, uint32_t name_id) {
  node.name = pool_[name_id];
  nodes_.push_back(node);
  graph_.reset();
}

void DependencyGraph::IndexNodes() const {
  for (; nodes_indexed_ < nodes_.size(); ++nodes_indexed_) {
    by_key_.emplace(std::make_pair(nodes_[nodes_indexed_].kind, nodes_[nodes_indexed_].name), nodes_indexed_);
  }
}

void DependencyGraph::IndexStrings() {
  for (; strings_indexed_ < pool_.size(); ++strings_indexed_) {
    pool_ids_.emplace(pool_[strings_indexed_], static_cast<uint32_t>(strings_indexed_));
  }
}

void DependencyGraph::AddEdge(Vertex from, Vertex to, Relation relation, Vertex evidence, uint32_t line,
                              std::string_view detail, bool heuristic) {
  GraphEdge e;
  e.relation = relation;
  e.heuristic = heuristic;
  e.line = line;
  e.evidence = static_cast<uint32_t>(evidence);
  e.detail = Intern(detail);
  AddEdge(from, to, e);
}

void DependencyGraph::AddEdge(Vertex from, Vertex to, const GraphEdge& edge) {
  pending_.emplace_back(static_cast<uint32_t>(from), static_cast<uint32_t>(to));
  pending_props_.push_back(edge);
  graph_.reset();
}

void DependencyGraph::Reserve(size_t nodes, size_t edges, size_t strings) {
  nodes_.reserve(nodes);
  by_key_.reserve(nodes);
  pending_.reserve(edges);
  pending_props_.reserve(edges);
  pool_ids_.reserve(strings);
}

void DependencyGraph::Freeze() {
  if (graph_) return;
  graph_ = std::make_unique<Graph>(boost::edges_are_unsorted_multi_pass, pending_.begin(), pending_.end(),
                                   pending_props_.begin(), nodes_.size());
}

uint32_t DependencyGraph::Intern(std::string_view text) {
  if (text.empty()) return 0;
  IndexStrings();
  auto it = pool_ids_.find(text);
  if (it != pool_ids_.end()) return it->second;
  pool_.emplace_back(text);
  uint32_t id = static_cast<uint32_t>(pool_.size() - 1);
  pool_ids_.emplace(pool_.back(), id);
  strings_indexed_ = pool_.size();
  return id;
}

std::optional<DependencyGraph::Vertex> DependencyGraph::Find(NodeKind kind, std::string_view name) const {
  if (nodes_indexed_ < nodes_.size() && ++unindexed_finds_ <= 32) {
    // A few lookups in a freshly loaded graph: scanning beats indexing every node.
    for (Vertex v = 0; v < nodes_.size(); ++v) {
      if (nodes_[v].kind == kind && nodes_[v].name == name) return v;
    }
    return std::nullopt;
  }
  IndexNodes();
  auto it = by_key_.find({kind, name});
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

std::optional<DependencyGraph::Vertex> DependencyGraph::FindByDisplayName(std::string_view name) const {
  if (name.rfind("component:", 0) == 0) return Find(NodeKind::kComponent, name.substr(10));
  for (NodeKind k : {NodeKind::kFile, NodeKind::kPackage, NodeKind::kOwner, NodeKind::kComponent}) {
    if (auto v = Find(k, name)) return v;
  }
  return std::nullopt;
}

std::string DependencyGraph::DisplayName(Vertex v) const {
  const GraphNode& n = nodes_[v];
  return n.kind == NodeKind::kComponent ? "component:" + std::string(n.name) : std::string(n.name);
}

std::string DependencyGraph::Describe(Edge e) const {
  const GraphEdge& ed = edge(e);
  std::string u = DisplayName(boost::source(e, *graph_)), v = DisplayName(boost::target(e, *graph_));
  std::string s;
  switch (ed.relation) {
    case Relation::kImports:
      s = v + " imports " + u;
      break;
    case Relation::kBelongsTo:
      s = u + " belongs to " + v;
      break;
    case Relation::kDependsOn:
      s = v + " depends on " + u;
      break;
    case Relation::kOwnedBy:
      s = u + " is owned by " + v;
      break;
  }
  s += " (" + std::string(EvidencePath(ed));
  if (ed.line) s += ":" + std::to_string(ed.line);
  if (ed.detail) s += (ed.line ? " " : ": ") + Text(ed.detail);  // "a.h:3 "x"", "go.mod: nearest manifest"
  if (ed.heuristic) s += ", by unique file-name suffix";
  return s + ")";
}

}  // namespace ringfence
