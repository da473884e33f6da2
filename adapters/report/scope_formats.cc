#include "adapters/report/scope_formats.h"

#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

namespace ringfence::report {
namespace {

using nlohmann::json;

std::string Mode(uint32_t m) {
  if (!m) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", m);
  return buf;
}

json StepJson(const ScopeStep& s) {
  return {{"from", s.from}, {"to", s.to}, {"relation", ToString(s.relation)},
          {"evidence", s.evidence}, {"detail", s.detail}};
}

void Dump(const json& j, std::ostream& out) {
  // Paths need not be UTF-8; invalid bytes become U+FFFD rather than failing the report.
  out << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace

void WriteScopeJson(const ScopeReport& r, std::ostream& out) {
  const ChangeSet& c = r.changes;
  json files = json::array();
  for (const auto& f : c.files) {
    files.push_back({{"path", f.path}, {"old_path", f.old_path}, {"status", ToString(f.status)},
                     {"similarity", f.similarity}, {"binary", f.binary}, {"submodule", f.submodule},
                     {"old_mode", Mode(f.old_mode)}, {"new_mode", Mode(f.new_mode)},
                     {"added", f.added}, {"deleted", f.deleted}});
  }
  json affected = json::array();
  for (const auto& a : r.affected) {
    json via = json::array();
    for (const auto& s : a.via) via.push_back(StepJson(s));
    affected.push_back({{"node", a.node}, {"kind", ToString(a.kind)}, {"distance", a.distance}, {"via", via}});
  }
  json comps = json::array();
  for (const auto& cp : r.components) {
    comps.push_back({{"name", cp.name}, {"tier", cp.tier}, {"global_channel", cp.global_channel},
                     {"distance", cp.distance}, {"changed_directly", cp.changed_directly}});
  }
  json owners = json::array();
  for (const auto& o : r.owners) {
    owners.push_back({{"owner", o.owner}, {"distance", o.distance}, {"because", o.because}});
  }
  json j = {
      {"schema", "ringfence.scope/v1"},
      {"base", {{"rev", c.base_rev}, {"commit", c.base_commit}}},
      {"merge_base", c.merge_base},
      {"head", {{"rev", c.head_rev}, {"commit", c.head_commit}}},
      {"files", files},
      {"totals", {{"files", c.files.size()}, {"added", c.TotalAdded()}, {"deleted", c.TotalDeleted()}}},
      {"affected", affected},
      {"components", comps},
      {"owners", owners},
      {"unresolved", r.unresolved},
      {"indeterminate", r.indeterminate},
      {"reasons", r.reasons},
      {"warnings", r.warnings},
      {"graph", {{"files", r.stats.files}, {"nodes", r.stats.nodes}, {"edges", r.stats.edges},
                 {"scanned", r.stats.scanned}, {"cache_hits", r.stats.cache_hits}}},
  };
  Dump(j, out);
}

void WriteScopeText(const ScopeReport& r, std::ostream& out) {
  const ChangeSet& c = r.changes;
  out << "change " << c.base_rev << "..." << c.head_rev;
  if (!c.merge_base.empty()) out << " (merge base " << c.merge_base.substr(0, 12) << ")";
  out << ": " << c.files.size() << " file(s), +" << c.TotalAdded() << " -" << c.TotalDeleted() << "\n";
  for (const auto& f : c.files) {
    out << "  " << ToString(f.status);
    if (f.similarity) out << " " << f.similarity << "%";
    out << "  " << f.path;
    if (f.old_path != f.path) out << " (from " << f.old_path << ")";
    if (f.binary) out << "  [binary]";
    else out << "  +" << f.added << " -" << f.deleted;
    out << "\n";
  }
  size_t files = 0;
  for (const auto& a : r.affected) files += a.kind == NodeKind::kFile && a.distance > 0;
  out << "\nblast radius: " << files << " other file(s), " << r.components.size() << " component(s), "
      << r.owners.size() << " owner(s)\n";
  if (!r.components.empty()) {
    out << "components:\n";
    for (const auto& cp : r.components) {
      out << "  " << cp.name << "  tier " << cp.tier << "  distance " << cp.distance
          << (cp.changed_directly ? "  (changed)" : "") << (cp.global_channel ? "  [global channel]" : "") << "\n";
    }
  }
  if (!r.owners.empty()) {
    out << "owners to notify:\n";
    for (const auto& o : r.owners) out << "  " << o.owner << "  (via " << o.because << ")\n";
  }
  bool header = false;
  for (const auto& a : r.affected) {
    if (a.distance == 0 || a.kind == NodeKind::kOwner) continue;
    if (!header) out << "affected:\n";
    header = true;
    out << "  [" << a.distance << "] " << a.node << "\n";
    if (!a.via.empty()) out << "        because " << a.via.back().text << "\n";
  }
  if (!r.unresolved.empty()) {
    out << "unresolved (no component, no owner):\n";
    for (const auto& u : r.unresolved) out << "  " << u << "\n";
  }
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
  if (r.indeterminate) {
    out << "\nscope: INDETERMINATE";
    for (const auto& why : r.reasons) out << " - " << why;
    out << "\n";
  } else {
    out << "\nscope: determined\n";
  }
}

void WriteScopeDot(const ScopeReport& r, const DependencyGraph& g, std::ostream& out) {
  std::unordered_set<DependencyGraph::Vertex> keep;
  std::set<std::string> changed;
  for (const auto& a : r.affected) {
    if (auto v = g.FindByDisplayName(a.node)) {
      keep.insert(*v);
      if (a.distance == 0) changed.insert(a.node);
    }
  }
  const auto& graph = g.graph();
  auto vfilter = [&](DependencyGraph::Vertex v) { return keep.count(v) > 0; };
  auto efilter = [&](DependencyGraph::Edge e) {
    return keep.count(boost::source(e, graph)) && keep.count(boost::target(e, graph));
  };
  boost::filtered_graph<DependencyGraph::Graph, std::function<bool(DependencyGraph::Edge)>,
                        std::function<bool(DependencyGraph::Vertex)>>
      sub(graph, efilter, vfilter);
  auto vwriter = [&](std::ostream& o, DependencyGraph::Vertex v) {
    const GraphNode& n = g.node(v);
    const char* shape = n.kind == NodeKind::kFile ? "box" : n.kind == NodeKind::kComponent ? "component"
                        : n.kind == NodeKind::kPackage ? "folder" : "ellipse";
    std::string name = g.DisplayName(v);
    o << "[label=" << boost::escape_dot_string(name) << ", shape=" << shape;
    if (changed.count(name)) o << ", style=filled, fillcolor=\"#f4b183\"";
    o << "]";
  };
  auto ewriter = [&](std::ostream& o, DependencyGraph::Edge e) {
    o << "[label=" << boost::escape_dot_string(std::string(ToString(g.edge(e).relation))) << "]";
  };
  auto gwriter = [](std::ostream& o) { o << "rankdir=LR;\n"; };
  boost::write_graphviz(out, sub, vwriter, ewriter, gwriter);
}

void WriteExplanationText(const Explanation& x, std::ostream& out) {
  if (!x.found) {
    out << x.target << ": not in the dependency graph of this tree\n";
    return;
  }
  if (!x.affected) {
    out << x.target << ": not affected by this change\n";
    return;
  }
  if (x.distance == 0) {
    out << x.target << ": changed by this change\n";
    return;
  }
  out << x.target << ": affected at distance " << x.distance << "\n";
  for (size_t i = 0; i < x.chain.size(); ++i) out << "  " << i + 1 << ". " << x.chain[i].text << "\n";
}

void WriteExplanationJson(const Explanation& x, std::ostream& out) {
  json chain = json::array();
  for (const auto& s : x.chain) chain.push_back(StepJson(s));
  Dump({{"target", x.target}, {"found", x.found}, {"affected", x.affected}, {"distance", x.distance},
        {"chain", chain}},
       out);
}

}  // namespace ringfence::report
