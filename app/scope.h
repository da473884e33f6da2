// Use case: what a change touches and why. The change and the trees come from the Repository port,
// graphs and scans from the caches; no adapter is named here (cli/ builds them and passes them in).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/build_config.h"
#include "engine/model/built_graph.h"
#include "engine/model/change_set.h"
#include "engine/ports/graph_store.h"
#include "engine/ports/repository.h"
#include "engine/ports/scan_cache.h"
#include "engine/scope/scope_report.h"

namespace ringfence::app {

struct ScopeRequest {
  ChangeRequest change;
  int threads = 0;  // 0: one per core
  // When set, components.yaml and CODEOWNERS are read from this revision instead of the tree
  // after the change: the gate judges a change to the classification by the classification it
  // changes (otherwise dropping `global_channel: true` would exempt the change from its rules).
  std::string classification_rev;
  // The builds conditional imports are judged for (empty: every import is an edge). Graphs built
  // for a configuration are not stored: the store keys graphs by tree alone.
  BuildConfig build;
};

// Where graphs and scans are kept between runs; either may be absent.
struct ScopeCaches {
  std::function<ScanCache*()> scans;  // loaded only when a scan is needed (a reused graph needs none)
  GraphStore* graphs = nullptr;
};

struct ScopeRun {
  BuiltGraph built;
  ScopeReport report;
  std::vector<std::pair<std::string, double>> phases;  // wall seconds, in order
};

Result<ScopeRun> RunScope(const ScopeRequest& request, Repository& repo, const ScopeCaches& caches);

}  // namespace ringfence::app
