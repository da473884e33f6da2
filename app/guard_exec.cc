#include "app/guard_exec.h"

#include "app/store_journal.h"
#include "engine/guard/exec_record.h"

namespace ringfence::app {

Result<GuardExecOutcome> GuardExec(const GuardRequest& request, GuardExecWorld& world,
                                   const std::string& exec_id) {
  if (request.input != GuardInput::kArgv)
    return Error::InvalidInput("guard exec runs an argv (after --), never a shell line");
  auto run = RunGuard(request, world.files);
  if (!run) return run.error();
  GuardExecOutcome out;
  out.run = std::move(*run);
  out.exec_id = exec_id;
  const Verdict& verdict = out.run->verdict;

  ExecDecidedEvent decided;
  decided.exec_id = exec_id;
  decided.argv = request.argv;
  decided.cwd = request.defaults.cwd;
  decided.actor = ToString(request.actor);
  decided.agents = request.agents;
  decided.approved_by = request.approved_by;
  decided.decision = verdict.decision;
  for (const auto& fired : verdict.fired) decided.rules.push_back(fired.rule->id);
  decided.reason = verdict.summary;
  auto journaled =
      AppendToStoreJournal(world.store, world.audit, EncodeExecRecord(decided, world.clock.NowUnixMs()));
  if (!journaled) return journaled.error().Wrap("journaling the decision (the command did not run)");
  if (!Runs(verdict.decision) || verdict.must_stage) return out;  // staged actions run through guard run

  int64_t began = world.clock.NowUnixMs();
  ProgramEnd end = world.runner.Run(request.argv);
  ExecEndedEvent ended{exec_id,  end.started, end.exit_code, end.signal, world.clock.NowUnixMs() - began,
                       end.error};
  out.ended = end;
  auto recorded =
      AppendToStoreJournal(world.store, world.audit, EncodeExecRecord(ended, world.clock.NowUnixMs()));
  if (!recorded) out.unrecorded_end = recorded.error().message;
  return out;
}

}  // namespace ringfence::app
