#include "adapters/report/scope_formats.h"

#include <algorithm>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graphviz.hpp>
#include <functional>
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
  return {{"from", s.from},
          {"to", s.to},
          {"relation", ToString(s.relation)},
          {"evidence", s.evidence},
          {"detail", s.detail}};
}

void Dump(const json& j, std::ostream& out) {
  // Paths need not be UTF-8; invalid bytes become U+FFFD rather than failing the report.
  out << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

}  // namespace

// Streams the report: one small document per array item, so a blast radius of 100k nodes never
// exists twice in memory. Items are written one per line.
void WriteScopeJson(const ScopeReport& r, std::ostream& out) {
  const ChangeSet& c = r.changes;
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  auto key = [&](const char* k, const json& v, bool last = false) {
    out << "  \"" << k << "\": " << dump(v) << (last ? "\n" : ",\n");
  };
  // Writes "key": [ items ] with `item(i)` producing the i-th element.
  auto array = [&](const char* k, size_t n, const std::function<json(size_t)>& item) {
    out << "  \"" << k << "\": [";
    for (size_t i = 0; i < n; ++i) out << (i ? ",\n    " : "\n    ") << dump(item(i));
    out << (n ? "\n  ],\n" : "],\n");
  };
  out << "{\n";
  key("schema", "ringfence.scope/v1");
  key("base", {{"rev", c.base_rev}, {"commit", c.base_commit}});
  key("merge_base", c.merge_base);
  key("head", {{"rev", c.head_rev}, {"commit", c.head_commit}});
  array("files", c.files.size(), [&](size_t i) {
    const FileChange& f = c.files[i];
    return json{{"path", f.path},
                {"old_path", f.old_path},
                {"status", ToString(f.status)},
                {"similarity", f.similarity},
                {"binary", f.binary},
                {"submodule", f.submodule},
                {"old_mode", Mode(f.old_mode)},
                {"new_mode", Mode(f.new_mode)},
                {"added", f.added},
                {"deleted", f.deleted}};
  });
  key("totals", {{"files", c.files.size()}, {"added", c.TotalAdded()}, {"deleted", c.TotalDeleted()}});
  array("affected", r.affected.size(), [&](size_t i) {
    const AffectedNode& a = r.affected[i];
    return json{{"node", a.node},
                {"kind", ToString(a.kind)},
                {"distance", a.distance},
                {"via", a.via ? StepJson(*a.via) : json(nullptr)}};
  });
  array("components", r.components.size(), [&](size_t i) {
    const AffectedComponent& cp = r.components[i];
    return json{{"name", cp.name},
                {"tier", cp.tier},
                {"global_channel", cp.global_channel},
                {"distance", cp.distance},
                {"changed_directly", cp.changed_directly}};
  });
  array("owners", r.owners.size(), [&](size_t i) {
    const OwnerToNotify& o = r.owners[i];
    return json{{"owner", o.owner}, {"distance", o.distance}, {"because", o.because}};
  });
  key("unresolved", r.unresolved);
  key("indeterminate", r.indeterminate);
  key("reasons", r.reasons);
  key("warnings", r.warnings);
  key("graph",
      {{"files", r.stats.files},
       {"nodes", r.stats.nodes},
       {"edges", r.stats.edges},
       {"scanned", r.stats.scanned},
       {"cache_hits", r.stats.cache_hits},
       {"reused", r.stats.reused}},
      true);
  out << "}\n";
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
    if (f.binary)
      out << "  [binary]";
    else
      out << "  +" << f.added << " -" << f.deleted;
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
          << (cp.changed_directly ? "  (changed)" : "") << (cp.global_channel ? "  [global channel]" : "")
          << "\n";
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
    if (a.via) out << "        because " << a.via->text << "\n";
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
    for (const auto& why : r.reasons) out << "note: " << why << "\n";
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
    const char* shape = n.kind == NodeKind::kFile        ? "box"
                        : n.kind == NodeKind::kComponent ? "component"
                        : n.kind == NodeKind::kPackage   ? "folder"
                                                         : "ellipse";
    std::string name = g.DisplayName(v);
    o << "[label=" << boost::escape_dot_string(name) << ", shape=" << shape;
    if (changed.count(name)) o << ", style=filled, fillcolor=\"#f4b183\"";
    o << "]";
  };
  auto ewriter = [&](std::ostream& o, DependencyGraph::Edge e) {
    o << "[label=" << boost::escape_dot_string(std::string(ArrowLabel(g.edge(e).relation))) << "]";
  };
  const ChangeSet& c = r.changes;
  std::string title = "ringfence scope " + c.base_rev + "..." + c.head_rev + ": " +
                      std::to_string(changed.size()) + " changed, " +
                      std::to_string(r.affected.size() - std::min(r.affected.size(), changed.size())) +
                      " reached" + (r.indeterminate ? " (indeterminate)" : "");
  auto gwriter = [&](std::ostream& o) {
    o << "rankdir=LR;\nlabel=" << boost::escape_dot_string(title)
      << ";\nlabelloc=t;\nfontsize=16;\n"
         "subgraph cluster_legend {\n  label=\"legend: arrows point the way a change travels\";\n"
         "  fontsize=11;\n  style=dashed;\n"
         "  legend_changed [label=\"changed file\", shape=box, style=filled, fillcolor=\"#f4b183\"];\n"
         "  legend_file [label=\"file\", shape=box];\n"
         "  legend_package [label=\"package or target\", shape=folder];\n"
         "  legend_component [label=\"component\", shape=component];\n"
         "  legend_owner [label=\"owner\", shape=ellipse];\n"
         "  legend_changed -> legend_file [label=\"imported by\"];\n"
         "  legend_file -> legend_component [label=\"belongs to\"];\n"
         "  legend_component -> legend_owner [label=\"owned by\"];\n"
         "}\n";
  };
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
  Dump({{"target", x.target},
        {"found", x.found},
        {"affected", x.affected},
        {"distance", x.distance},
        {"chain", chain}},
       out);
}

}  // namespace ringfence::report
