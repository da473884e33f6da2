// Use cases of `ringfence rollout`: start a rollout (plan, gate constraints, images, the journal's
// first record), drive it to an outcome (the service's lease, the router, the metric sources, the
// built-in load, the orchestrator), load an existing one, and who drives one now. Ports and
// adapter factories come in a RolloutWorld the CLI builds; nothing here names an adapter.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/model/load_report.h"
#include "engine/ports/audit_log.h"
#include "engine/ports/backend_catalog.h"
#include "engine/ports/client_load.h"
#include "engine/ports/clock.h"
#include "engine/ports/file_reader.h"
#include "engine/ports/metric_source.h"
#include "engine/ports/notifier.h"
#include "engine/ports/state_store.h"
#include "engine/rollout/orchestrator.h"
#include "engine/rollout/router.h"

namespace ringfence::app {

struct RolloutWorld {
  StateStore& store;  // the journal as rollouts write it
  AuditLog& audit;
  Clock& clock;
  const BackendCatalog& backends;
  const FileReader& files;  // plans and verdicts
  std::string state_dir;
  std::string workload_binary;
  // Adapters made per run (null: the run has none of them).
  std::function<std::unique_ptr<MetricSource>(SessionBackend&, Clock&, const Cohorts&)> session_metrics =
      nullptr;
  std::function<std::unique_ptr<MetricSource>(const RolloutPlan&, const Cohorts&)> prometheus = nullptr;
  // kInvalidInput when the plan's notification settings cannot be used (a missing secret).
  std::function<Result<std::unique_ptr<Notifier>>(const RolloutPlan&)> notifier = nullptr;
  std::function<std::unique_ptr<ClientLoad>(Router&, const LoadSpec&)> load = nullptr;
  // Told the live sessions about every 200 ms while the run lasts, when the plan names a targets
  // file (Prometheus file_sd).
  std::function<void(const RolloutPlan&, const std::vector<SessionInfo>&)> publish_sessions = nullptr;
  // False for a lease holder known to be gone (a killed process on this host).
  std::function<bool(const std::string& holder)> holder_alive = nullptr;
  RolloutObserver* observer = nullptr;
  // The image policy's admission of both images (null: no policy applies). An error is bad input
  // (the policy, its keys or its database cannot be read), never a pass.
  std::function<Result<AdmissionDecision>(const ImageRef& baseline, const ImageRef& candidate)> admit =
      nullptr;
};

struct Rollout {
  RolloutSetup setup;
  RolloutPlan plan;      // with the gate's constraints applied
  bool admitted = true;  // false: journaled as not admitted, nothing started (setup.admission says why)
};

// The plan file (and the gate's verdict, whose constraints apply), its images resolved by the
// plan's backend, journaled as a new rollout driven by `holder`. kIndeterminate when the service
// is frozen; kConflict when another rollout of it is live or unfinished.
Result<Rollout> StartRolloutFromPlan(RolloutWorld& world, const std::string& plan_path,
                                     const std::string& verdict_path,
                                     const std::function<std::string(const std::string& service)>& new_id,
                                     const std::string& holder);

// An existing rollout from its journal: the plan it started with (URL credentials taken back from
// the plan file when it is still that plan; `note` says when they cannot be).
Result<Rollout> LoadRollout(RolloutWorld& world, const std::string& id, std::string* note);

// Where the plan's backend lives in this world.
BackendContext ContextOf(const RolloutWorld& world, const RolloutPlan& plan);

struct DriveOptions {
  bool load = true;            // drive the plan's built-in load, if it has one
  bool keep_sessions = false;  // leave the built-in load's sessions running at the end
  std::string holder;          // who drives (the service's lease)
};

struct RolloutRun {
  Result<RolloutOutcome> outcome = Error::Internal("not run");
  std::optional<LoadReport> load;
  std::vector<TypedRecord> journal;   // as it stands at the end
  std::vector<std::string> warnings;  // for the operator: what this run did without
};

// Takes the service's lease (kConflict when another process drives it), drives the rollout from
// its journal to an outcome or a wait for a human, and gives the lease up.
Result<RolloutRun> DriveRollout(RolloutWorld& world, const Rollout& rollout, const DriveOptions& options);

// The lease of a rollout's service when a live process drives that rollout now; nullopt when none.
// `holder_alive` may be null.
std::optional<Lease> LiveDriver(StateStore& store, int64_t now_unix_ms,
                                const std::function<bool(const std::string&)>& holder_alive,
                                const std::string& service, const std::string& id);

}  // namespace ringfence::app
