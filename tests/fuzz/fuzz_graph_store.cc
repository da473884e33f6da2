// Stored graphs live in .git/ringfence and may be truncated or foreign: loading never crashes,
// and whatever loads can be traversed.
#include <string_view>

#include "adapters/cache/file_graph_store.h"
#include "engine/scope/blast_radius.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto g = ringfence::cache::DeserializeGraph(std::string_view(reinterpret_cast<const char*>(data), size));
  if (g && g->graph.num_nodes() > 0) {
    ringfence::BlastRadius br(g->graph, {0});
    for (auto v : br.Reached()) (void)g->graph.DisplayName(v);
  }
  return 0;
}
