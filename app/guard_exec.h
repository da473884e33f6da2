// Use case: `guard exec`. A command is judged as `guard check` judges it; the decision (the exact
// argv, the actor, the rules that fired) is journaled in the guard journal and audited before
// anything runs; an allowed command (allow or warn) then runs as given, without a shell, and how
// it ended is journaled and audited too. Anything else never runs, nor does what a `stage` rule
// keeps for `guard run`. Ports only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/guard.h"
#include "engine/ports/audit_log.h"
#include "engine/ports/clock.h"
#include "engine/ports/program_runner.h"
#include "engine/ports/state_store.h"

namespace ringfence::app {

struct GuardExecWorld {
  const FileReader& files;
  StateStore& store;
  AuditLog& audit;
  ProgramRunner& runner;
  Clock& clock;
};

struct GuardExecOutcome {
  std::unique_ptr<GuardRun> run;
  std::string exec_id;
  std::optional<ProgramEnd> ended;  // set when the command was allowed (and so started, or tried)
  // Why how it ended could not be journaled ("" when it was): the journal then shows a decision
  // with no end, as for a guard killed while the command ran.
  std::string unrecorded_end;
};

// `request.input` must be kArgv: what is judged is what runs. `exec_id` names this execution in
// the journal (unique: the caller makes it). Errors: the guard's, and a decision that cannot be
// journaled (then nothing runs: an action the audit log cannot show is never taken).
Result<GuardExecOutcome> GuardExec(const GuardRequest& request, GuardExecWorld& world,
                                   const std::string& exec_id);

}  // namespace ringfence::app
