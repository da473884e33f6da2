#include "adapters/cache/file_graph_store.h"

#include "adapters/cache/binary_file.h"

#include <algorithm>
#include <filesystem>

namespace ringfence::cache {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMagic = "RFGRAPH1";

bool ValidTreeId(const std::string& id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

std::string SerializeGraph(const BuiltGraph& b) {
  const DependencyGraph& g = b.graph;
  BinaryWriter w;
  w.Raw(kMagic);
  w.U32(FileGraphStore::kFormatVersion);
  w.U8(static_cast<uint8_t>((b.has_components ? 1 : 0) | (b.has_codeowners ? 2 : 0)));
  w.U64(b.files);
  w.U32(static_cast<uint32_t>(b.warnings.size()));
  for (const auto& s : b.warnings) w.Str(s);
  w.U32(static_cast<uint32_t>(b.unscanned.size()));
  for (const auto& [path, why] : b.unscanned) {
    w.Str(path);
    w.Str(why);
  }
  w.U32(static_cast<uint32_t>(g.pool_size()));
  for (size_t i = 0; i < g.pool_size(); ++i) w.Str(g.Text(static_cast<uint32_t>(i)));
  w.U32(static_cast<uint32_t>(g.num_nodes()));
  for (size_t v = 0; v < g.num_nodes(); ++v) {
    const GraphNode& n = g.node(v);
    w.U8(static_cast<uint8_t>(n.kind));
    w.U8(static_cast<uint8_t>(n.tier + 1));
    w.U8(static_cast<uint8_t>((n.global_channel ? 1 : 0) | (n.deleted ? 2 : 0)));
    w.U32(const_cast<DependencyGraph&>(g).Intern(n.name));  // names are pooled: a lookup, never an insert
  }
  w.U64(g.num_edges());
  const auto& graph = g.graph();
  for (auto [it, end] = boost::edges(graph); it != end; ++it) {
    const GraphEdge& e = g.edge(*it);
    w.U32(static_cast<uint32_t>(boost::source(*it, graph)));
    w.U32(static_cast<uint32_t>(boost::target(*it, graph)));
    w.U8(static_cast<uint8_t>(e.relation));
    w.U8(e.heuristic ? 1 : 0);
    w.U32(e.line);
    w.U32(e.evidence);
    w.U32(e.detail);
  }
  return std::move(w.data());
}

std::optional<BuiltGraph> DeserializeGraph(std::string_view data) {
  BinaryReader r(data);
  if (!r.Expect(kMagic)) return std::nullopt;
  uint32_t version = 0, count = 0;
  uint8_t flags = 0;
  uint64_t files = 0;
  BuiltGraph b;
  if (!r.U32(version) || version != FileGraphStore::kFormatVersion || !r.U8(flags) || !r.U64(files))
    return std::nullopt;
  b.has_components = flags & 1;
  b.has_codeowners = flags & 2;
  b.files = files;
  std::string_view s;
  if (!r.U32(count) || count > r.left()) return std::nullopt;
  for (uint32_t i = 0; i < count; ++i) {
    if (!r.Str(s)) return std::nullopt;
    b.warnings.emplace_back(s);
  }
  if (!r.U32(count) || count > r.left()) return std::nullopt;
  for (uint32_t i = 0; i < count; ++i) {
    std::string_view why;
    if (!r.Str(s) || !r.Str(why)) return std::nullopt;
    b.unscanned.emplace_back(std::string(s), std::string(why));
  }
  DependencyGraph& g = b.graph;
  if (!r.U32(count) || count > r.left() || count == 0) return std::nullopt;
  uint32_t strings = count;
  for (uint32_t i = 0; i < count; ++i) {
    if (!r.Str(s)) return std::nullopt;
    if (i == 0 && !s.empty()) return std::nullopt;
    if (i > 0) g.AppendString(s);
  }
  uint32_t nodes = 0;
  if (!r.U32(nodes) || nodes > r.left() / 7) return std::nullopt;
  g.Reserve(nodes, 0, 0);
  for (uint32_t i = 0; i < nodes; ++i) {
    uint8_t kind, tier, nflags;
    uint32_t name;
    if (!r.U8(kind) || !r.U8(tier) || !r.U8(nflags) || !r.U32(name) ||
        kind > static_cast<uint8_t>(NodeKind::kOwner) || name >= strings) {
      return std::nullopt;
    }
    GraphNode n;
    n.kind = static_cast<NodeKind>(kind);
    n.tier = static_cast<int>(tier) - 1;
    n.global_channel = nflags & 1;
    n.deleted = nflags & 2;
    g.AppendNode(n, name);
  }
  uint64_t edges = 0;
  if (!r.U64(edges) || edges > r.left() / 22) return std::nullopt;
  g.Reserve(nodes, edges, 0);
  for (uint64_t i = 0; i < edges; ++i) {
    uint32_t u, v, line, evidence, detail;
    uint8_t rel, heur;
    if (!r.U32(u) || !r.U32(v) || !r.U8(rel) || !r.U8(heur) || !r.U32(line) || !r.U32(evidence) ||
        !r.U32(detail)) {
      return std::nullopt;
    }
    if (u >= nodes || v >= nodes || evidence >= nodes || detail >= g.pool_size() ||
        rel > static_cast<uint8_t>(Relation::kOwnedBy)) {
      return std::nullopt;
    }
    GraphEdge e;
    e.relation = static_cast<Relation>(rel);
    e.heuristic = heur != 0;
    e.line = line;
    e.evidence = evidence;
    e.detail = detail;
    g.AddEdge(u, v, e);
  }
  if (r.left() != 0) return std::nullopt;
  g.Freeze();
  return b;
}

std::optional<BuiltGraph> FileGraphStore::Load(const std::string& tree_id) {
  if (!ValidTreeId(tree_id)) return std::nullopt;
  std::string id = tree_id;
  if (auto alias = ReadWholeFile(dir_ + "/" + id + ".alias")) {
    std::string target = alias->substr(0, alias->find('\n'));
    if (!ValidTreeId(target)) return std::nullopt;
    id = target;
  }
  auto data = ReadWholeFile(dir_ + "/" + id + ".graph");
  if (!data) return std::nullopt;
  auto g = DeserializeGraph(*data);
  if (g) {
    std::error_code ec;  // recently used: keep it from being pruned first
    fs::last_write_time(dir_ + "/" + id + ".graph", fs::file_time_type::clock::now(), ec);
  }
  return g;
}

Status FileGraphStore::Save(const std::string& tree_id, const BuiltGraph& graph) {
  if (!ValidTreeId(tree_id)) return Error::Internal("bad tree id " + tree_id);
  if (auto st = WriteAtomically(dir_ + "/" + tree_id + ".graph", SerializeGraph(graph)); !st) return st;
  // Prune: keep the most recently written or used graphs.
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> graphs;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    if (e.path().extension() == ".graph") graphs.emplace_back(e.last_write_time(ec), e.path());
  }
  std::sort(graphs.begin(), graphs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = kKeep; i < graphs.size(); ++i) fs::remove(graphs[i].second, ec);
  return Status::Ok();
}

Status FileGraphStore::Alias(const std::string& tree_id, const std::string& same_as) {
  if (!ValidTreeId(tree_id) || !ValidTreeId(same_as)) return Error::Internal("bad tree id");
  return WriteAtomically(dir_ + "/" + tree_id + ".alias", same_as + "\n");
}

}  // namespace ringfence::cache
