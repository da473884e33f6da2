#include "engine/graph/dependency_graph.h"

namespace ringfence {
namespace {

std::string Key(NodeKind kind, std::string_view name) {
  std::string k;
  k.reserve(name.size() + 1);
  k += static_cast<char>('0' + static_cast<int>(kind));
  k += name;
  return k;
}

}  // namespace

const char* ToString(NodeKind kind) {
  switch (kind) {
    case NodeKind::kFile: return "file";
    case NodeKind::kComponent: return "component";
    case NodeKind::kPackage: return "package";
    case NodeKind::kOwner: return "owner";
  }
  return "unknown";
}

const char* ToString(Relation relation) {
  switch (relation) {
    case Relation::kImports: return "imports";
    case Relation::kBelongsTo: return "belongs_to";
    case Relation::kDependsOn: return "depends_on";
    case Relation::kOwnedBy: return "owned_by";
  }
  return "unknown";
}

DependencyGraph::Vertex DependencyGraph::AddNode(NodeKind kind, std::string_view name) {
  auto [it, inserted] = by_key_.try_emplace(Key(kind, name), 0);
  if (!inserted) return it->second;
  GraphNode n;
  n.kind = kind;
  n.name = std::string(name);
  it->second = boost::add_vertex(std::move(n), graph_);
  return it->second;
}

std::optional<DependencyGraph::Vertex> DependencyGraph::Find(NodeKind kind, std::string_view name) const {
  auto it = by_key_.find(Key(kind, name));
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

void DependencyGraph::AddEdge(Vertex from, Vertex to, GraphEdge edge) {
  boost::add_edge(from, to, std::move(edge), graph_);
}

std::string DependencyGraph::DisplayName(Vertex v) const {
  const GraphNode& n = graph_[v];
  return n.kind == NodeKind::kComponent ? "component:" + n.name : n.name;
}

std::string DependencyGraph::Describe(Edge e) const {
  const GraphEdge& ed = graph_[e];
  std::string u = DisplayName(boost::source(e, graph_)), v = DisplayName(boost::target(e, graph_));
  std::string s;
  switch (ed.relation) {
    case Relation::kImports: s = v + " imports " + u; break;
    case Relation::kBelongsTo: s = u + " belongs to " + v; break;
    case Relation::kDependsOn: s = v + " depends on " + u; break;
    case Relation::kOwnedBy: s = u + " is owned by " + v; break;
  }
  s += " (" + ed.evidence_path;
  if (ed.line) s += ":" + std::to_string(ed.line);
  if (!ed.detail.empty()) s += " " + ed.detail;
  if (ed.heuristic) s += ", by unique file-name suffix";
  return s + ")";
}

}  // namespace ringfence
