// The rollout state machine. It canaries a candidate version onto sessions step by step, judges it
// against the baseline cohort every interval, and rolls back on a failed verdict: new sessions go
// to the baseline at once, canary sessions are drained or terminated as the plan says, and the
// baseline's health is verified; a rollback that cannot be verified escalates and freezes
// automated rollouts of the service.
//
// Durability contract: every transition is appended to the journal (StateStore) and the audit log
// BEFORE its action runs, and every action is idempotent. Run() starts from the journal's last
// record, so a process killed at any instant is resumed by calling Run() again in a new process:
// the interrupted action is repeated, nothing is skipped. Another process may append a human
// decision (approve, abort) while Run() drives the rollout; Run() notices it at its next tick.
//
// All time comes from the Clock port and all effects go through ports, so simulations drive this
// same machine with a virtual clock.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/audit_log.h"
#include "engine/ports/clock.h"
#include "engine/ports/metric_source.h"
#include "engine/ports/notifier.h"
#include "engine/ports/session_backend.h"
#include "engine/ports/state_store.h"
#include "engine/rollout/journal.h"
#include "engine/rollout/plan.h"
#include "engine/rollout/router.h"

namespace ringfence {

// The service of a rollout from its journal rows (its start record); "" when unknown.
std::string ServiceOfJournal(const std::vector<JournalRecord>& journal);

// Told of each journal record as it is written, and of notes (notification failures, expiries).
class RolloutObserver {
 public:
  virtual ~RolloutObserver() = default;
  virtual void OnRecord(const TypedRecord& record) = 0;
  virtual void OnNote(const std::string& rollout_id, const std::string& note) = 0;
};

struct RolloutPorts {
  SessionBackend& backend;  // shared with the router and the metric sources (see LockedBackend)
  Router& router;
  MetricSource& sessions;    // metrics with source: sessions
  MetricSource* prometheus;  // metrics with source: prometheus; null when the plan has none
  StateStore& store;
  AuditLog& audit;
  Clock& clock;
  Notifier* notifier = nullptr;
  RolloutObserver* observer = nullptr;
  std::string scratch_dir;  // where rollback snapshots go (rollback.sessions: restore)
  // Asked before every journal append: an error (e.g. the driver lost its lease to another
  // process) stops the run where the journal says. Null: always driving.
  std::function<Status()> still_driving;
};

// How long a driver's lease lasts without a heartbeat, and how often the driver renews it.
inline constexpr int64_t kLeaseTtlMs = 10'000;
inline constexpr int64_t kLeaseHeartbeatMs = 2'000;

// Checks that the rollout may start and writes its first record: the service is not frozen, the
// backend can do what the plan asks, `holder` takes the service's lease, and no other rollout of
// the service is in progress. kInvalidInput for a plan the backend cannot carry out;
// kIndeterminate when the service is frozen; kConflict when another rollout of the service is
// live (its lease held) or unfinished (its driver gone: resume or abort it first).
Result<JournalRecord> StartRollout(StateStore& store, AuditLog& audit, const RolloutSetup& setup,
                                   const RolloutPlan& plan, const Capabilities& backend, int64_t now_unix_ms,
                                   const std::string& holder);
// Journals a rollout the image policy refused (its setup carries the admission): the rollout's
// only record, audited; nothing else happens.
Result<JournalRecord> RecordNotAdmitted(StateStore& store, AuditLog& audit, const RolloutSetup& setup,
                                        int64_t now_unix_ms);

// A human decision, journaled (and audited) for Run() to carry out, as a compare-and-set on the
// record it was decided on: of two racing decisions exactly one is journaled, the other is
// kConflict saying which came first. Approve: only while the rollout awaits a human. Abort: any
// time before a terminal state (records the orchestrator appends meanwhile do not stop it; a
// human decision does); it starts a rollback, which is final.
Result<JournalRecord> ApproveRollout(StateStore& store, AuditLog& audit, const std::string& id,
                                     const std::string& by, int64_t now_unix_ms);
Result<JournalRecord> AbortRollout(StateStore& store, AuditLog& audit, const std::string& id,
                                   const std::string& by, const std::string& reason, int64_t now_unix_ms);

class Orchestrator {
 public:
  Orchestrator(RolloutPorts ports, RolloutSetup setup, RolloutPlan plan)
      : p_(ports), setup_(std::move(setup)), plan_(std::move(plan)) {}

  // Binds the router to this rollout's images and adopts the sessions an earlier run left, so
  // that clients can be routed from now on. Run() does it first if the caller has not; a caller
  // that drives clients through the router (the built-in load) calls it before they start.
  void Prepare();
  // Drives the rollout from its journal's last record to an outcome (or to a wait for a human).
  // Errors are the journal's (kIo): the rollout is then where the journal says, for a later Run.
  Result<RolloutOutcome> Run();

 private:
  struct Progress;
  enum class Next { kContinue, kReload, kDone };

  Status Enter(Progress& at, RolloutEvent event);
  Result<Next> ActStep(Progress& at);
  Result<Next> ActJudged(Progress& at);
  Result<Next> AfterBake(Progress& at);
  Result<Next> ActRollback(Progress& at);
  Result<Next> ActRollbackSessions(Progress& at);
  Result<Next> ActVerifying(Progress& at);
  Result<Next> ActEscalated(Progress& at);
  Result<int> RestoreOntoBaseline(const Progress& at);
  JudgedEvent JudgeAll(const Progress& at);
  // True when another process appended to the journal since `at` was read.
  Result<bool> ChangedElsewhere(const Progress& at);
  void Tick();  // housekeeping each interval: warm sessions past their window end
  void Notify(const std::string& kind, const std::string& summary, const RolloutEvent& details);
  void Note(const std::string& note);

  RolloutPorts p_;
  RolloutSetup setup_;
  bool prepared_ = false;
  RolloutPlan plan_;
};

}  // namespace ringfence
