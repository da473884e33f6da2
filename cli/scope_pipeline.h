// Wires the git adapters, the scan cache and the engine into one scope computation.
// Shared by `scope`, `explain` and (later) `check`.
#pragma once

#include <memory>
#include <string>

#include "engine/core/result.h"
#include "engine/graph/graph_builder.h"
#include "engine/ports/change_source.h"
#include "engine/scope/scope_report.h"

namespace ringfence::cli {

struct ScopeOptions {
  std::string repo = ".";
  ChangeRequest change;
  bool use_cache = true;
  std::string cache_path;  // default: <git dir>/ringfence/scan-cache.bin
  int threads = 0;
  // When set, components.yaml and CODEOWNERS are read from this revision instead of the tree
  // after the change: the gate judges a change to the classification by the classification it
  // changes (otherwise dropping `global_channel: true` would exempt the change from its rules).
  std::string classification_rev;
};

struct ScopeRun {
  BuiltGraph built;
  ScopeReport report;
  std::vector<std::pair<std::string, double>> phases;  // wall seconds, in order
};

Result<ScopeRun> RunScope(const ScopeOptions& options);

}  // namespace ringfence::cli
