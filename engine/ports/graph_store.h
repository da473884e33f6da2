// Port: keeps built dependency graphs between runs, keyed by the id of the tree they describe.
#pragma once

#include <optional>
#include <string>

#include "engine/core/result.h"
#include "engine/model/built_graph.h"

namespace ringfence {

class GraphStore {
 public:
  virtual ~GraphStore() = default;
  // The graph built for `tree_id`, or nullopt (never stored, stale format, unreadable).
  virtual std::optional<BuiltGraph> Load(const std::string& tree_id) = 0;
  // Remembers `graph` as the graph of `tree_id`. Failing to store only costs a rebuild later.
  virtual Status Save(const std::string& tree_id, const BuiltGraph& graph) = 0;
  // Records that `tree_id` has the same graph as the stored `same_as` (no copy).
  virtual Status Alias(const std::string& tree_id, const std::string& same_as) = 0;
};

}  // namespace ringfence
