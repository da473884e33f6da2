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
};

struct ScopeRun {
  BuiltGraph built;
  ScopeReport report;
  std::vector<std::pair<std::string, double>> phases;  // wall seconds, in order
};

Result<ScopeRun> RunScope(const ScopeOptions& options);

}  // namespace ringfence::cli
