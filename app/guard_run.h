// Use case: `guard run STAGED.yaml`. The staged action's commands (one per target) are judged
// together as `guard check` judges argv; a verdict that lets them run, and waves that keep every
// `stage` rule's constraints, start the run. Wave by wave: each target's command runs (no shell),
// the wave bakes, each target of the wave is checked; a wave with more unhealthy targets (or failed
// commands) than allowed stops the run, and no later wave starts. Every step is journaled and
// audited first in the staged-run journal, so a run killed at any point resumes (`guard run` on the
// same file): targets whose command ended are not run again, a wave's bake and checks are redone.
// Ports only.
#pragma once

#include <memory>
#include <string>

#include "app/guard.h"
#include "engine/guard/run_record.h"
#include "engine/guard/staged_action.h"
#include "engine/ports/audit_log.h"
#include "engine/ports/clock.h"
#include "engine/ports/health_probe.h"
#include "engine/ports/program_runner.h"
#include "engine/ports/state_store.h"

namespace ringfence::app {

struct GuardRunWorld {
  const FileReader& files;
  StateStore& store;
  AuditLog& audit;
  ProgramRunner& runner;
  HealthProbe& probe;
  Clock& clock;
};

// What the run reports as it goes (a wave begun, a target's command ended, a wave checked).
class RunProgress {
 public:
  virtual ~RunProgress() = default;
  virtual void Wave(int64_t wave, int64_t waves, size_t targets) = 0;
  virtual void Ran(const TargetRanEvent& ran) = 0;
  virtual void Checked(const WaveCheckedEvent& checked) = 0;
};

struct GuardRunRequest {
  GuardRequest guard;  // rules, environments, actor, approvals, defaults, now (input and argvs are set here)
  std::string file;    // the staged action
  std::string run_id;  // for a new run (unique: the caller makes it)
  bool abandon = false;  // end the file's unfinished run instead of resuming it
};

struct GuardRunOutcome {
  std::unique_ptr<GuardRun> judged;  // the verdict on every target's command (null when abandoned)
  RunOutcome outcome = RunOutcome::kStopped;
  std::string run_id, detail;
  bool resumed = false;
  bool must_stage_unmet = false;  // refused: the waves do not keep a stage rule's constraints
  int64_t targets_ran = 0, targets_untouched = 0;
};

Result<GuardRunOutcome> RunStagedAction(const GuardRunRequest& request, GuardRunWorld& world,
                                        RunProgress& progress);

// "" when `action`'s waves, bake and check keep `c` (from the stage rules that fired), else why not.
std::string StagingShortfall(const StagedAction& action, const RolloutConstraints& c);

}  // namespace ringfence::app
