#include "engine/scope/blast_radius.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>

namespace ringfence {
namespace {

// Records, for each vertex first discovered through an edge, that edge and the distance.
class Recorder : public boost::default_bfs_visitor {
 public:
  Recorder(std::vector<int>& d, std::vector<DependencyGraph::Edge>& p, std::vector<bool>& has)
      : d_(d), p_(p), has_(has) {}
  template <class E, class G>
  void tree_edge(E e, const G& g) const {
    auto u = boost::source(e, g), v = boost::target(e, g);
    d_[v] = d_[u] + 1;
    p_[v] = e;
    has_[v] = true;
  }

 private:
  std::vector<int>& d_;
  std::vector<DependencyGraph::Edge>& p_;
  std::vector<bool>& has_;
};

}  // namespace

BlastRadius::BlastRadius(const DependencyGraph& graph, const std::vector<Vertex>& sources)
    : graph_(graph),
      distance_(graph.num_nodes(), kUnreached),
      pred_edge_(graph.num_nodes()),
      has_pred_(graph.num_nodes(), false) {
  if (sources.empty()) return;
  for (Vertex s : sources) distance_[s] = 0;
  const auto& g = graph.graph();
  std::vector<boost::default_color_type> color(boost::num_vertices(g), boost::white_color);
  boost::queue<Vertex> queue;
  boost::breadth_first_search(
      g, sources.begin(), sources.end(), queue, Recorder(distance_, pred_edge_, has_pred_),
      boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, g)));
}

std::vector<BlastRadius::Vertex> BlastRadius::Reached() const {
  // Sort keys built once per node: comparing display names would build strings per comparison.
  struct Key {
    int distance;
    std::string name;
    Vertex v;
  };
  std::vector<Key> keys;
  for (Vertex v = 0; v < distance_.size(); ++v) {
    if (distance_[v] != kUnreached) keys.push_back({distance_[v], graph_.DisplayName(v), v});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.name < b.name;
  });
  std::vector<Vertex> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(k.v);
  return out;
}

std::vector<DependencyGraph::Edge> BlastRadius::Chain(Vertex v) const {
  std::vector<DependencyGraph::Edge> chain;
  while (v < has_pred_.size() && has_pred_[v]) {
    chain.push_back(pred_edge_[v]);
    v = boost::source(pred_edge_[v], graph_.graph());
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace ringfence
