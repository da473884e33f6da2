#include "app/guard_run.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "app/store_journal.h"

namespace ringfence::app {
namespace {

// The parsed file as canonical text: a run resumes only on the same plan.
std::string PlanText(const StagedAction& a) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : a.targets) targets.push_back(t.vars);
  nlohmann::json j = {{"name", a.name},
                      {"command", a.command},
                      {"targets", targets},
                      {"waves", a.waves},
                      {"bake_ms", a.bake_ms},
                      {"check",
                       {{"kind", static_cast<int>(a.check.kind)},
                        {"url", a.check.url},
                        {"command", a.check.command},
                        {"timeout_ms", a.check.timeout_ms},
                        {"failures_allowed", a.check.failures_allowed}}}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

class Runner {
 public:
  Runner(GuardRunWorld& w, RunProgress& p, const StagedAction& a, GuardRunOutcome& out)
      : w_(w), progress_(p), a_(a), out_(out) {}

  Status Append(const RunEvent& e) {
    auto written = AppendToStoreJournal(w_.store, w_.audit, EncodeRunRecord(e, w_.clock.NowUnixMs()));
    if (!written) return written.error();
    return Status::Ok();
  }

  Status End(RunOutcome outcome, const std::string& detail) {
    out_.outcome = outcome;
    out_.detail = detail;
    return Append(RunEndedEvent{out_.run_id, outcome, detail});
  }

  // Runs the waves from where `history` left off.
  Status Drive(const RunHistory& history) {
    std::map<std::string, const TargetRanEvent*> ran;  // target -> how its command ended
    for (const auto& t : history.ran) ran[t.target] = &t;
    out_.targets_ran = static_cast<int64_t>(ran.size());
    const int64_t waves = static_cast<int64_t>(a_.waves.size());
    // A wave begun but not checked is finished first; its bake and checks are redone.
    int64_t first = static_cast<int64_t>(history.checked.size());
    for (int64_t w = first; w < waves; ++w) {
      const size_t begin = w == 0 ? 0 : a_.waves[static_cast<size_t>(w - 1)],
                   end = a_.waves[static_cast<size_t>(w)];
      if (w >= history.waves_started) {
        if (auto st = Append(WaveStartedEvent{out_.run_id, w}); !st) return st;
      }
      progress_.Wave(w, waves, end - begin);
      std::vector<TargetRanEvent> ended_now;  // this pass's ends (`ran` points into it)
      ended_now.reserve(end - begin);
      for (size_t i = begin; i < end; ++i) {
        const StagedTarget& t = a_.targets[i];
        if (ran.count(t.id)) continue;  // its end is journaled: never run twice
        ProgramEnd e = w_.runner.Run(Expand(a_.command, t));
        ended_now.push_back({out_.run_id, t.id, w, e.started, e.exit_code, e.signal, e.error});
        if (auto st = Append(ended_now.back()); !st) return st;
        progress_.Ran(ended_now.back());
        ran[t.id] = &ended_now.back();
        ++out_.targets_ran;
      }
      if (a_.bake_ms > 0) w_.clock.SleepUntil(w_.clock.NowUnixMs() + a_.bake_ms);
      // A target is unhealthy when its command failed, else when its check fails.
      std::vector<std::string> unhealthy;
      for (size_t i = begin; i < end; ++i) {
        const StagedTarget& t = a_.targets[i];
        const TargetRanEvent& r = *ran.at(t.id);
        if (!r.started || r.signal || r.exit_code != 0) {
          unhealthy.push_back(t.id + ": " + Failure(r));
        } else if (a_.check.kind != HealthCheckKind::kNone) {
          ProbeResult p = w_.probe.Probe(a_.check, t);
          if (!p.healthy) unhealthy.push_back(t.id + ": " + p.why);
        }
      }
      const bool passed = static_cast<int>(unhealthy.size()) <= a_.check.failures_allowed;
      WaveCheckedEvent checked{out_.run_id, w, passed, unhealthy};
      if (auto st = Append(checked); !st) return st;
      progress_.Checked(checked);
      if (!passed) {
        out_.targets_untouched = static_cast<int64_t>(a_.targets.size() - end);
        return End(RunOutcome::kStopped,
                   "wave " + std::to_string(w + 1) + " of " + std::to_string(waves) + ": " +
                       std::to_string(unhealthy.size()) + " of " + std::to_string(end - begin) +
                       " targets unhealthy (" + std::to_string(a_.check.failures_allowed) + " allowed); " +
                       std::to_string(out_.targets_untouched) + " targets of later waves never ran");
      }
    }
    return End(RunOutcome::kCompleted, std::to_string(a_.targets.size()) + " targets in " +
                                           std::to_string(waves) + " waves, every wave healthy");
  }

 private:
  static std::string Failure(const TargetRanEvent& r) {
    if (!r.started) return "its command could not start: " + r.error;
    if (r.signal) return "its command was killed by signal " + std::to_string(r.signal);
    return "its command exited " + std::to_string(r.exit_code);
  }

  GuardRunWorld& w_;
  RunProgress& progress_;
  const StagedAction& a_;
  GuardRunOutcome& out_;
};

}  // namespace

std::string StagingShortfall(const StagedAction& a, const RolloutConstraints& c) {
  const size_t n = a.targets.size();
  if (c.human_promotion)
    return "a person must promote each wave, which guard run does not do: run the waves by hand";
  if (n > 1 && a.waves.size() < 2) return "it must run in waves, and the file has one";
  if (a.check.kind == HealthCheckKind::kNone)
    return "it must stop on a failed health check, and the file has no check";
  if (c.max_canary_weight) {
    const size_t most = c.MostInFirstWave(n);
    if (a.waves.front() > most)
      return "the first wave has " + std::to_string(a.waves.front()) + " of " + std::to_string(n) +
             " targets; at most " + std::to_string(most) + " (" + std::to_string(*c.max_canary_weight) + "%)";
  }
  if (c.min_bake_seconds && a.bake_ms < *c.min_bake_seconds * 1000ll)
    return "each wave must bake at least " + std::to_string(*c.min_bake_seconds) + "s";
  for (size_t i = 0; i < c.stages.size() && i < a.waves.size(); ++i) {
    if (a.waves[i] * 100.0 > c.stages[i] * static_cast<double>(n) + 1e-9)
      return "wave " + std::to_string(i + 1) + " reaches " + std::to_string(a.waves[i]) + " of " +
             std::to_string(n) + " targets; the stages allow " + std::to_string(c.stages[i]) + "% by then";
  }
  return "";
}

Result<GuardRunOutcome> RunStagedAction(const GuardRunRequest& req, GuardRunWorld& world,
                                        RunProgress& progress) {
  auto text = world.files.Read(req.file);
  if (!text) return text.error();
  auto action = ParseStagedAction(*text, req.file);
  if (!action) return action.error();
  const std::string plan = PlanText(*action);

  auto rows = world.store.Journal(kGuardRunJournal);
  if (!rows) return rows.error();
  auto runs = RunsOf(*rows);
  if (!runs) return runs.error();
  const RunHistory* unfinished = nullptr;
  for (const auto& r : *runs) {
    if (r.started.name == action->name && !r.ended) unfinished = &r;
  }

  GuardRunOutcome out;
  if (req.abandon) {
    if (!unfinished) return Error::InvalidInput("no unfinished run of '" + action->name + "' to abandon");
    out.run_id = unfinished->started.run_id;
    Runner runner(world, progress, *action, out);
    if (auto st =
            runner.End(RunOutcome::kAbandoned, "abandoned by " + std::string(ToString(req.guard.actor)));
        !st)
      return st.error();
    return out;
  }
  if (unfinished && unfinished->started.plan != plan)
    return Error::InvalidInput("the run " + unfinished->started.run_id + " of '" + action->name +
                               "' is unfinished and " + req.file +
                               " has changed since it began: restore the file to resume it, or --abandon it");

  GuardRequest judged = req.guard;
  judged.input = GuardInput::kArgvs;
  for (const auto& t : action->targets) judged.argvs.push_back(Expand(action->command, t));
  auto run = RunGuard(judged, world.files);
  if (!run) return run.error();
  out.judged = std::move(*run);
  const Verdict& v = out.judged->verdict;
  out.run_id = unfinished ? unfinished->started.run_id : req.run_id;
  out.resumed = unfinished != nullptr;
  Runner runner(world, progress, *action, out);

  std::string refusal;
  if (!Runs(v.decision)) {
    refusal = std::string("the guard's decision is ") + ToString(v.decision) + ": " + v.summary;
  } else if (v.must_stage) {
    std::string shortfall = StagingShortfall(*action, v.constraints);
    if (!shortfall.empty()) {
      out.must_stage_unmet = true;
      refusal = "a rule asks for staging (" + v.constraints.Describe() + "): " + shortfall;
    }
  }
  if (!unfinished) {
    RunStartedEvent started;
    started.run_id = out.run_id;
    started.name = action->name;
    started.path = req.file;
    started.plan = plan;
    for (const auto& t : action->targets) started.targets.push_back(t.id);
    for (size_t w : action->waves) started.waves.push_back(static_cast<int64_t>(w));
    started.bake_ms = action->bake_ms;
    started.decision = v.decision;
    for (const auto& f : v.fired) started.rules.push_back(f.rule->id);
    started.actor = ToString(req.guard.actor);
    if (auto st = runner.Append(started); !st) return st.error();
  }
  if (!refusal.empty()) {
    out.targets_untouched = static_cast<int64_t>(action->targets.size());
    if (auto st = runner.End(RunOutcome::kRefused, (unfinished ? "on resuming: " : "") + refusal); !st)
      return st.error();
    return out;
  }
  static const RunHistory kFresh;
  if (auto st = runner.Drive(unfinished ? *unfinished : kFresh); !st) return st.error();
  return out;
}

}  // namespace ringfence::app
