// GraphStore in files: <dir>/<tree id>.graph holds one built graph (binary, versioned), and
// <dir>/<tree id>.alias names another tree whose graph is identical. Keeps the few most recent
// graphs; a truncated or foreign file is ignored (the graph is rebuilt), never trusted.
#pragma once

#include <string>

#include "engine/ports/graph_store.h"

namespace ringfence::cache {

class FileGraphStore : public GraphStore {
 public:
  static constexpr uint32_t kFormatVersion = 5;
  static constexpr int kKeep = 4;  // graphs kept; older ones are deleted on Save

  explicit FileGraphStore(std::string dir) : dir_(std::move(dir)) {}
  std::optional<BuiltGraph> Load(const std::string& tree_id) override;
  Status Save(const std::string& tree_id, const BuiltGraph& graph) override;
  Status Alias(const std::string& tree_id, const std::string& same_as) override;

 private:
  std::string dir_;
};

// The binary form, exposed for the fuzz target. nullopt for anything malformed.
std::string SerializeGraph(const BuiltGraph& graph);
std::optional<BuiltGraph> DeserializeGraph(std::string_view data);

}  // namespace ringfence::cache
