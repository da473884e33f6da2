#include "engine/scope/analyze_scope.h"

#include <algorithm>
#include <map>
#include <set>

namespace ringfence {
namespace {

ScopeStep StepOf(const DependencyGraph& g, DependencyGraph::Edge e) {
  const GraphEdge& ed = g.edge(e);
  ScopeStep s;
  s.from = g.DisplayName(boost::source(e, g.graph()));
  s.to = g.DisplayName(boost::target(e, g.graph()));
  s.relation = ed.relation;
  s.evidence = std::string(g.EvidencePath(ed)) + (ed.line ? ":" + std::to_string(ed.line) : "");
  s.detail = g.Text(ed.detail);
  s.text = g.Describe(e);
  return s;
}

std::vector<ScopeStep> Steps(const DependencyGraph& g, const std::vector<DependencyGraph::Edge>& chain) {
  std::vector<ScopeStep> out;
  for (auto e : chain) out.push_back(StepOf(g, e));
  return out;
}

// A file is placed when a component claims it or CODEOWNERS gives it an owner.
bool IsPlaced(const DependencyGraph& g, DependencyGraph::Vertex v) {
  for (auto [it, end] = boost::out_edges(v, g.graph()); it != end; ++it) {
    const GraphEdge& e = g.edge(*it);
    auto t = boost::target(*it, g.graph());
    if (e.relation == Relation::kOwnedBy) return true;
    if (e.relation == Relation::kBelongsTo && g.node(t).kind == NodeKind::kComponent) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> RemovedPaths(const ChangeSet& changes) {
  std::vector<std::string> out;
  for (const auto& f : changes.files) {
    if (f.status == ChangeStatus::kDeleted) out.push_back(f.path);
    if (f.status == ChangeStatus::kRenamed) out.push_back(f.old_path);
  }
  return out;
}

std::vector<DependencyGraph::Vertex> ChangedNodes(const ChangeSet& changes, const DependencyGraph& graph) {
  std::set<DependencyGraph::Vertex> out;
  for (const auto& f : changes.files) {
    if (auto v = graph.Find(NodeKind::kFile, f.path)) out.insert(*v);
    if (f.status == ChangeStatus::kRenamed) {
      if (auto v = graph.Find(NodeKind::kFile, f.old_path)) out.insert(*v);
    }
  }
  return {out.begin(), out.end()};
}

ScopeReport AnalyzeScope(const ChangeSet& changes, const BuiltGraph& built) {
  const DependencyGraph& g = built.graph;
  ScopeReport r;
  r.changes = changes;
  r.warnings = built.warnings;
  r.stats = {built.files, g.num_nodes(), g.num_edges(), built.scanned, built.cache_hits, built.reused};
  auto sources = ChangedNodes(changes, g);
  BlastRadius br(g, sources);

  std::map<std::string, OwnerToNotify> owners;
  for (auto v : br.Reached()) {
    const GraphNode& n = g.node(v);
    auto pred = br.Predecessor(v);
    AffectedNode a{g.DisplayName(v), n.kind, br.distance(v), std::nullopt};
    if (pred) a.via = StepOf(g, *pred);
    if (n.kind == NodeKind::kComponent) {
      bool direct =
          br.distance(v) == 1 && pred && g.node(boost::source(*pred, g.graph())).kind == NodeKind::kFile;
      r.components.push_back({std::string(n.name), n.tier, n.global_channel, br.distance(v), direct});
    }
    if (n.kind == NodeKind::kOwner) {
      std::string because = pred ? g.DisplayName(boost::source(*pred, g.graph())) : "";
      owners.emplace(n.name, OwnerToNotify{std::string(n.name), br.distance(v), because});
    }
    r.affected.push_back(std::move(a));
  }
  for (auto& [_, o] : owners) r.owners.push_back(o);
  std::sort(r.owners.begin(), r.owners.end(), [](const OwnerToNotify& a, const OwnerToNotify& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.owner < b.owner;
  });

  for (const auto& f : changes.files) {
    auto v = g.Find(NodeKind::kFile, f.path);
    if (!v || !IsPlaced(g, *v)) r.unresolved.push_back(f.path);
    if (!f.submodule) continue;
    // The files inside a submodule are another repository's: only what this one imports from it
    // is followed.
    size_t importers = 0;
    for (const auto& a : r.affected) {
      importers += a.via && a.via->from == f.path && a.via->relation == Relation::kImports;
    }
    std::string moved = " is added or removed";
    if (!f.old_blob.empty() && f.old_blob == f.new_blob)
      moved = " has uncommitted changes";
    else if (!f.old_blob.empty() && !f.new_blob.empty())
      moved = " moves from " + f.old_blob.substr(0, 12) + " to " + f.new_blob.substr(0, 12);
    r.reasons.push_back("submodule " + f.path + moved + ": its own files are not analysed; " +
                        std::to_string(importers) +
                        " file(s) of this repository import from it and are affected");
  }
  size_t unplaced = r.unresolved.size();
  if (!built.unscanned.empty()) {
    std::string list;
    for (size_t i = 0; i < built.unscanned.size() && i < 5; ++i) {
      list += (i ? "; " : "") + built.unscanned[i].first + " (" + built.unscanned[i].second + ")";
      r.unresolved.push_back(built.unscanned[i].first);
    }
    for (size_t i = 5; i < built.unscanned.size(); ++i) r.unresolved.push_back(built.unscanned[i].first);
    r.indeterminate = true;
    r.reasons.push_back(
        std::to_string(built.unscanned.size()) +
        " source file(s) could not be scanned, so their imports (and what the change reaches " +
        "through them) are unknown: " + list + (built.unscanned.size() > 5 ? "; ..." : ""));
  }
  if (unplaced > 0) {
    r.indeterminate = true;
    if (!built.has_components && !built.has_codeowners) {
      r.reasons.push_back("the repository has neither " + std::string(".ringfence/components.yaml") +
                          " nor CODEOWNERS, so no changed file can be placed; `ringfence init` proposes a " +
                          "components file from the repository's structure");
    } else {
      r.reasons.push_back(std::to_string(unplaced) + " of " + std::to_string(changes.files.size()) +
                          " changed files belong to no component and have no owner (declare them in " +
                          ".ringfence/components.yaml or CODEOWNERS; `ringfence init` shows a proposal)");
    }
  }
  return r;
}

Explanation Explain(const ChangeSet& changes, const BuiltGraph& built, const std::string& target) {
  const DependencyGraph& g = built.graph;
  Explanation x;
  x.target = target;
  auto v = g.FindByDisplayName(target);
  if (!v) return x;
  x.found = true;
  BlastRadius br(g, ChangedNodes(changes, g));
  if (!br.reached(*v)) return x;
  x.affected = true;
  x.distance = br.distance(*v);
  x.chain = Steps(g, br.Chain(*v));
  return x;
}

}  // namespace ringfence
