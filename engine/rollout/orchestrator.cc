#include "engine/rollout/orchestrator.h"

#include <algorithm>
#include <set>
#include <variant>

#include "engine/core/duration.h"
#include "engine/rules/constraints_json.h"

namespace ringfence {
namespace rs = rollout_state;
using nlohmann::json;

namespace {

json ImageJson(const ImageRef& i) { return {{"version", i.version}, {"digest", i.digest}, {"location", i.location}}; }

ImageRef ImageFromJson(const json& j) {
  return {j.value("version", ""), j.value("digest", ""), j.value("location", "")};
}

json VerdictJson(const MetricSpec& m, const char* judge, const JudgeVerdict& v) {
  return {{"metric", m.name}, {"judge", judge}, {"outcome", ToString(v.outcome)}, {"reason", v.reason},
          {"p_value", v.p_value}, {"effect", v.effect}};
}

}  // namespace

bool IsTerminal(const std::string& state) {
  return state == rs::kRolledBack || state == rs::kEscalated || state == rs::kPromoted;
}

const char* ToString(RolloutOutcome o) {
  switch (o) {
    case RolloutOutcome::kPromoted: return "promoted";
    case RolloutOutcome::kRolledBack: return "rolled back";
    case RolloutOutcome::kAwaitingHuman: return "awaiting a human";
    case RolloutOutcome::kEscalated: return "escalated";
  }
  return "?";
}

json ToJson(const RolloutSetup& s) {
  return {{"rollout", s.id}, {"service", s.service}, {"plan_path", s.plan_path}, {"plan_text", s.plan_text},
          {"baseline", ImageJson(s.baseline)}, {"candidate", ImageJson(s.candidate)},
          {"gate_constraints", ConstraintsJson(s.gate_constraints)}};
}

Result<RolloutSetup> SetupFromJournal(const std::vector<JournalRecord>& journal) {
  if (journal.empty() || journal.front().state != rs::kStarted) {
    return Error::NotFound("the journal has no start record for this rollout");
  }
  json j = json::parse(journal.front().evidence_json, nullptr, false);
  if (!j.is_object() || !j.contains("plan_text")) return Error::Io("the start record of the rollout is damaged");
  RolloutSetup s;
  s.id = journal.front().rollout_id;
  s.plan_path = j.value("plan_path", "");
  s.plan_text = j.value("plan_text", "");
  s.service = j.value("service", "");
  s.baseline = ImageFromJson(j.value("baseline", json::object()));
  s.candidate = ImageFromJson(j.value("candidate", json::object()));
  if (j.contains("gate_constraints")) {
    auto c = ConstraintsFromJson(j["gate_constraints"], "the start record's gate_constraints");
    if (!c) return c.error();
    s.gate_constraints = *c;
  }
  return s;
}

namespace {

Result<JournalRecord> AppendAudited(StateStore& store, AuditLog& audit, JournalRecord r, int64_t expected_seq) {
  auto rec = store.Append(r, expected_seq);
  if (!rec) return rec.error();
  if (auto st = audit.Record(*rec); !st) return st.error();
  return *rec;
}

}  // namespace

std::string ServiceOfJournal(const std::vector<JournalRecord>& journal) {
  if (journal.empty() || journal.front().state != rs::kStarted) return "";
  json j = json::parse(journal.front().evidence_json, nullptr, false);
  if (!j.is_object()) return "";
  if (j.contains("service") && j["service"].is_string() && !j["service"].get<std::string>().empty()) {
    return j["service"].get<std::string>();
  }
  // Journals written before the service was recorded: the plan they started with names it.
  auto plan = ParsePlan(j.value("plan_text", ""), j.value("plan_path", "plan"));
  return plan ? plan->service : "";
}

Result<JournalRecord> StartRollout(StateStore& store, AuditLog& audit, const RolloutSetup& setup,
                                   const RolloutPlan& plan, const Capabilities& backend, int64_t now_unix_ms,
                                   const std::string& holder) {
  auto freeze = store.FreezeOf(plan.service);
  if (!freeze) return freeze.error();
  if (*freeze) {
    return Error{ErrorKind::kIndeterminate,
                 "automated rollouts of " + plan.service + " are frozen since rollout " + (*freeze)->rollout_id +
                     " could not verify its rollback (" + (*freeze)->reason +
                     "); a human clears it with `ringfence rollout unfreeze " + plan.service + "`"};
  }
  if (plan.rollback_sessions == RollbackSessions::kRestore && !backend.snapshot) {
    return Error::InvalidInput(plan.path + ": rollback.sessions: restore needs a backend that snapshots sessions; " +
                               plan.backend + " cannot (use drain or terminate)");
  }
  if (plan.park_after_ms > 0 && !backend.snapshot) {
    return Error::InvalidInput(plan.path + ": sessions.park_after needs a backend that snapshots sessions; " +
                               plan.backend + " cannot (leave park_after out)");
  }
  auto last = store.Last(setup.id);
  if (!last) return last.error();
  if (*last) return Error::InvalidInput("rollout " + setup.id + " exists already");
  // One driver per service: the lease first, then (holding it, so no other start can race) no
  // unfinished rollout of the service may be left behind.
  if (auto st = store.TakeLease({plan.service, setup.id, holder, now_unix_ms + kLeaseTtlMs}, now_unix_ms); !st) {
    return Error::Conflict("a rollout of " + plan.service + " is live: " + st.error().message +
                           "; wait for it, or `ringfence rollout abort` it");
  }
  auto release = [&](Error e) -> Result<JournalRecord> {
    (void)store.ReleaseLease(plan.service, holder);
    return e;
  };
  auto all = store.Rollouts();
  if (!all) return release(all.error());
  for (const auto& r : *all) {
    if (r.rollout_id.rfind("freeze:", 0) == 0 || IsTerminal(r.last.state)) continue;
    auto journal = store.Journal(r.rollout_id);
    if (!journal) return release(journal.error());
    if (ServiceOfJournal(*journal) != plan.service) continue;
    return release(Error::Conflict("rollout " + r.rollout_id + " of " + plan.service + " has not finished (it is " +
                                   r.last.state + ") and no process drives it: `ringfence rollout resume " +
                                   r.rollout_id + "` to finish it, or `ringfence rollout abort " + r.rollout_id +
                                   " --by NAME` to roll it back"));
  }
  RolloutSetup recorded = setup;
  recorded.service = plan.service;
  auto started = AppendAudited(store, audit, {0, setup.id, rs::kStarted, ToJson(recorded).dump(), now_unix_ms}, 0);
  if (!started) return release(started.error());
  return started;
}

Result<JournalRecord> ApproveRollout(StateStore& store, AuditLog& audit, const std::string& id, const std::string& by,
                                     int64_t now_unix_ms) {
  auto last = store.Last(id);
  if (!last) return last.error();
  if (!*last) return Error::NotFound("no rollout " + id);
  if ((*last)->state != rs::kAwaitingHuman) {
    return Error::InvalidInput("rollout " + id + " is not waiting for a human (it is " + (*last)->state + ")");
  }
  json ev = json::parse((*last)->evidence_json, nullptr, false);
  int step = ev.is_object() ? ev.value("step", 0) : 0;
  auto rec = AppendAudited(store, audit, {0, id, rs::kApproved, json{{"step", step}, {"by", by}}.dump(), now_unix_ms},
                           (*last)->seq);
  if (!rec && rec.error().kind == ErrorKind::kConflict) {
    auto now = store.Last(id);
    std::string what = now && *now ? (*now)->state : "changed";
    return Error::Conflict("rollout " + id + " changed while you decided (it is " + what +
                           " now); nothing was approved");
  }
  return rec;
}

Result<JournalRecord> AbortRollout(StateStore& store, AuditLog& audit, const std::string& id, const std::string& by,
                                   const std::string& reason, int64_t now_unix_ms) {
  json ev = {{"reason", "aborted by " + by + (reason.empty() ? "" : ": " + reason)}, {"by", by}};
  int64_t decided_on = -1;  // the record the human decided on: what came after it may stop the abort
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto journal = store.Journal(id);
    if (!journal) return journal.error();
    if (journal->empty()) return Error::NotFound("no rollout " + id);
    const std::string& state = journal->back().state;
    for (const auto& r : *journal) {
      if (r.state == rs::kRollback) return Error::InvalidInput("rollout " + id + " is rolling back already");
      if (decided_on >= 0 && r.seq > decided_on && (r.state == rs::kApproved || IsTerminal(r.state))) {
        return Error::Conflict("rollout " + id + " changed while you decided: #" + std::to_string(r.seq) + " " +
                               r.state + " came first; nothing was aborted");
      }
    }
    if (IsTerminal(state)) return Error::InvalidInput("rollout " + id + " has ended (" + state + ")");
    if (decided_on < 0) decided_on = journal->back().seq;
    auto rec = AppendAudited(store, audit, {0, id, rs::kRollback, ev.dump(), now_unix_ms}, journal->back().seq);
    if (rec || rec.error().kind != ErrorKind::kConflict) return rec;
    // The orchestrator appended meanwhile: look again (a human decision among what it appended stops the abort).
  }
  return Error::Conflict("rollout " + id + " kept changing; nothing was aborted, try again");
}

// What the journal says so far.
struct Orchestrator::Progress {
  JournalRecord last;
  json evidence = json::object();
  int step = -1;
  int64_t step_started_ms = 0;
  int64_t canary_started_ms = 0;
  int64_t last_judged_ms = 0;
  bool judged_in_step = false;
  std::string decision;        // of the step's last judgement: pass | fail | unclear
  std::string unclear_action;  // pause | rollback
  std::string unclear_reason;
  int64_t rollback_started_ms = 0;
  bool rolling_back = false;  // a rollback is journaled: final
  std::optional<RolloutOutcome> outcome;

  void Apply(const JournalRecord& r) {
    last = r;
    evidence = json::parse(r.evidence_json, nullptr, false);
    if (!evidence.is_object()) evidence = json::object();
    if (r.state == rs::kStep) {
      step = evidence.value("step", 0);
      step_started_ms = r.at_unix_ms;
      if (canary_started_ms == 0) canary_started_ms = r.at_unix_ms;
      judged_in_step = false;
      decision.clear();
    } else if (r.state == rs::kJudged) {
      judged_in_step = true;
      last_judged_ms = r.at_unix_ms;
      decision = evidence.value("decision", "");
      unclear_action = evidence.value("unclear_action", "pause");
      unclear_reason = evidence.value("unclear_reason", "");
    } else if (r.state == rs::kRollback) {
      rollback_started_ms = r.at_unix_ms;
      rolling_back = true;
    }
  }
};

Status Orchestrator::Enter(Progress& at, const std::string& state, json evidence) {
  if (p_.still_driving) {
    if (auto st = p_.still_driving(); !st) return st;
  }
  // A rollback, once journaled, is final: nothing but its own states may follow it.
  bool rollback_state = state == rs::kRollback || state == rs::kRollbackSessions || state == rs::kVerifying ||
                        state == rs::kRolledBack || state == rs::kEscalated;
  if (at.rolling_back && !rollback_state) {
    return Error::Internal("rollout " + setup_.id + " is rolling back; refusing to journal " + state);
  }
  auto rec = AppendAudited(p_.store, p_.audit, {0, setup_.id, state, evidence.dump(), p_.clock.NowUnixMs()}, at.last.seq);
  if (!rec) return rec.error();
  at.Apply(*rec);
  if (p_.observer) p_.observer->OnRecord(*rec);
  return Status::Ok();
}

void Orchestrator::Note(const std::string& note) {
  if (p_.observer) p_.observer->OnNote(setup_.id, note);
}

void Orchestrator::Notify(const std::string& kind, const std::string& summary, const json& details) {
  if (!p_.notifier) return;
  json d = details;
  d["service"] = plan_.service;
  d["baseline"] = setup_.baseline.version;
  d["candidate"] = setup_.candidate.version;
  if (auto st = p_.notifier->Notify({setup_.id, kind, summary, d.dump()}); !st) {
    Note("notification failed (the journal and audit log have the decision): " + st.error().message);
  }
}

void Orchestrator::Tick() {
  p_.router.Expire(plan_.warm_window_ms, std::min<int64_t>(plan_.interval_ms, 1000), plan_.park_after_ms);
}

Result<bool> Orchestrator::ChangedElsewhere(const Progress& at) {
  auto last = p_.store.Last(setup_.id);
  if (!last) return last.error();
  return *last && (*last)->seq != at.last.seq;
}

json Orchestrator::JudgeAll(const Progress& at) {
  int64_t now = p_.clock.NowUnixMs();
  json verdicts = json::array();
  bool fail = false;
  std::string unclear_action, unclear_reason;
  for (const auto& m : plan_.metrics) {
    MetricSource* source = m.source == MetricSourceKind::kPrometheus ? p_.prometheus : &p_.sessions;
    // The sequential test accumulates since the canary began (it is valid at every look); the
    // others judge the current step.
    bool cumulative = std::holds_alternative<SequentialJudge>(m.judge);
    MetricWindow window{cumulative ? at.canary_started_ms : at.step_started_ms, now};
    JudgeVerdict v;
    const char* judge_name = "";
    if (!source) {
      v.reason = "no prometheus source configured";
    }
    std::visit(
        [&](const auto& judge) {
          using J = std::decay_t<decltype(judge)>;
          if constexpr (std::is_same_v<J, ThresholdJudge> || std::is_same_v<J, MannWhitneyJudge>) {
            judge_name = std::is_same_v<J, ThresholdJudge> ? "threshold" : "mann_whitney";
            if (!source) return;
            auto samples = source->Samples(m, window);
            if (samples) v = judge.Judge(*samples);
            else v.reason = samples.error().message;
          } else {
            judge_name = std::is_same_v<J, CountJudge> ? "count" : "sequential";
            if (!source) return;
            auto counts = source->Counts(m, window);
            if (counts) v = judge.Judge(*counts);
            else v.reason = counts.error().message;
          }
        },
        m.judge);
    verdicts.push_back(VerdictJson(m, judge_name, v));
    if (v.outcome == JudgeOutcome::kFail) fail = true;
    if (v.outcome == JudgeOutcome::kNoData || v.outcome == JudgeOutcome::kInconclusive) {
      OnUnclear policy = v.outcome == JudgeOutcome::kNoData ? plan_.on_no_data : plan_.on_inconclusive;
      if (policy == OnUnclear::kFail) unclear_action = "rollback";
      else if (unclear_action.empty()) unclear_action = "pause";
      if (!unclear_reason.empty()) unclear_reason += "; ";
      unclear_reason += m.name + " " + ToString(v.outcome) + (v.reason.empty() ? "" : " (" + v.reason + ")");
    }
  }
  int canary = 0, baseline = 0, parked = 0;
  for (const auto& b : p_.router.Bindings()) {
    (b.session.version == setup_.candidate.version ? canary : baseline)++;
    if (b.session.state == SessionState::kParked) ++parked;
  }
  json out = {{"step", at.step}, {"weight", plan_.steps[at.step].weight}, {"verdicts", verdicts},
              {"window_ms", now - at.step_started_ms}, {"canary_sessions", canary}, {"baseline_sessions", baseline},
              {"parked_sessions", parked},
              {"decision", fail ? "fail" : unclear_action.empty() ? "pass" : "unclear"}};
  if (!unclear_action.empty()) {
    out["unclear_action"] = unclear_action;
    out["unclear_reason"] = unclear_reason;
  }
  return out;
}

namespace {

std::string FailReason(const json& judged) {
  std::string reason;
  for (const auto& v : judged["verdicts"]) {
    if (v.value("outcome", "") != "fail") continue;
    if (!reason.empty()) reason += "; ";
    reason += v.value("metric", "") + " failed the " + v.value("judge", "") + " judge: " + v.value("reason", "");
  }
  return reason;
}

}  // namespace

// Enter the next step, wait for a human first, or promote.
static json StepEvidence(const RolloutPlan& plan, int step) {
  return {{"step", step}, {"weight", plan.steps[step].weight}, {"bake_ms", plan.steps[step].bake_ms}};
}

Result<Orchestrator::Next> Orchestrator::AfterBake(Progress& at) {
  int next = at.step + 1;
  if (at.decision == "unclear") {
    if (at.unclear_action == "rollback") {
      if (auto st = Enter(at, rs::kRollback, {{"reason", "unclear at the end of step " + std::to_string(at.step) +
                                                             " and the plan says fail: " + at.unclear_reason}});
          !st) {
        return st.error();
      }
      return Next::kContinue;
    }
    if (auto st = Enter(at, rs::kAwaitingHuman, {{"step", next}, {"reason", "unclear at the end of step " +
                                                                              std::to_string(at.step) + ": " +
                                                                              at.unclear_reason}});
        !st) {
      return st.error();
    }
    return Next::kContinue;
  }
  if (next >= static_cast<int>(plan_.steps.size())) {
    if (auto st = Enter(at, rs::kPromoted, {{"weight", 100}}); !st) return st.error();
    return Next::kContinue;
  }
  if (plan_.steps[next].needs_human) {
    std::string why = plan_.steps[next].weight >= 100 && plan_.constraints.human_promotion
                          ? "the gate requires a human to promote to 100%"
                          : "the gate caps automated canaries below " + std::to_string(plan_.steps[next].weight) + "%";
    if (auto st = Enter(at, rs::kAwaitingHuman, {{"step", next}, {"reason", why}}); !st) return st.error();
    return Next::kContinue;
  }
  if (auto st = Enter(at, rs::kStep, StepEvidence(plan_, next)); !st) return st.error();
  return Next::kContinue;
}

// kStep and kJudged: route the step's share, judge every interval until the bake is over.
Result<Orchestrator::Next> Orchestrator::ActStep(Progress& at) {
  if (at.last.state == rs::kJudged && at.decision == "fail") {
    if (auto st = Enter(at, rs::kRollback, {{"reason", FailReason(at.evidence)}, {"step", at.step}}); !st) {
      return st.error();
    }
    return Next::kContinue;
  }
  const RolloutStep& step = plan_.steps[at.step];
  if (auto st = p_.router.SetWeight(step.weight); !st) {
    if (auto e = Enter(at, rs::kRollback, {{"reason", "the backend refused the step's weight: " + st.error().message}});
        !e) {
      return e.error();
    }
    return Next::kContinue;
  }
  int64_t bake_end = at.step_started_ms + step.bake_ms;
  while (step.bake_ms > 0) {
    int64_t now = p_.clock.NowUnixMs();
    if (now >= bake_end && at.judged_in_step) break;
    int64_t next_look = (at.judged_in_step ? at.last_judged_ms : at.step_started_ms) + plan_.interval_ms;
    p_.clock.SleepUntil(std::min(next_look, bake_end));
    Tick();
    auto changed = ChangedElsewhere(at);
    if (!changed) return changed.error();
    if (*changed) return Next::kReload;
    json judged = JudgeAll(at);
    if (auto st = Enter(at, rs::kJudged, judged); !st) return st.error();
    if (at.decision == "fail") {
      if (auto st = Enter(at, rs::kRollback, {{"reason", FailReason(judged)}, {"step", at.step}}); !st) {
        return st.error();
      }
      return Next::kContinue;
    }
  }
  if (step.bake_ms == 0) at.decision = "pass";  // nothing to judge at this step
  return AfterBake(at);
}

Result<Orchestrator::Next> Orchestrator::ActRollback(Progress& at) {
  if (auto st = p_.router.SetWeight(0); !st) {
    if (auto e = Enter(at, rs::kEscalated, {{"reason", "cannot route new sessions to the baseline: " + st.error().message}});
        !e) {
      return e.error();
    }
    return Next::kContinue;
  }
  int canary = 0;
  for (const auto& b : p_.router.Bindings()) canary += b.session.version == setup_.candidate.version;
  if (auto st = Enter(at, rs::kRollbackSessions,
                      {{"mode", ToString(plan_.rollback_sessions)}, {"canary_sessions", canary},
                       {"drain_timeout_ms", plan_.drain_timeout_ms}});
      !st) {
    return st.error();
  }
  return Next::kContinue;
}

Result<Orchestrator::Next> Orchestrator::ActRollbackSessions(Progress& at) {
  const std::string& version = setup_.candidate.version;
  json ev = json::object();
  if (plan_.rollback_sessions == RollbackSessions::kDrain) {
    p_.router.Drain(version);
    int64_t deadline = at.last.at_unix_ms + plan_.drain_timeout_ms;
    int64_t poll = std::min<int64_t>(plan_.interval_ms, 250);
    while (true) {
      Tick();
      auto bindings = p_.router.Bindings();
      bool left = std::any_of(bindings.begin(), bindings.end(),
                              [&](const Binding& b) { return b.session.version == version; });
      int64_t now = p_.clock.NowUnixMs();
      if (!left || now >= deadline) break;
      p_.router.Drain(version);  // sessions launched before the weight reached 0
      p_.clock.SleepUntil(std::min(now + poll, deadline));
    }
    ev["drained_by_ms"] = p_.clock.NowUnixMs() - at.last.at_unix_ms;
  } else if (plan_.rollback_sessions == RollbackSessions::kRestore) {
    auto restored = RestoreOntoBaseline(at);
    if (!restored) {
      if (auto st = Enter(at, rs::kEscalated, {{"reason", "cannot restore clients onto the baseline: " + restored.error().message}});
          !st) {
        return st.error();
      }
      return Next::kContinue;
    }
    ev["restored"] = *restored;
  }
  // Whatever is left of the candidate (busy past the drain deadline, or terminate mode).
  auto ended = p_.router.TerminateVersion(version);
  if (!ended) {
    if (auto st = Enter(at, rs::kEscalated, {{"reason", "cannot terminate canary sessions: " + ended.error().message}});
        !st) {
      return st.error();
    }
    return Next::kContinue;
  }
  ev["terminated"] = ended->size();
  if (auto st = Enter(at, rs::kVerifying, ev); !st) return st.error();
  return Next::kContinue;
}

// Each canary session's client moves onto a baseline session restored from a snapshot of a fresh
// baseline session (a warm start, not a cold boot); the canary session ends. Idempotent: clients
// already moved have no canary session left to move.
Result<int> Orchestrator::RestoreOntoBaseline(const Progress& at) {
  std::string snapshot = p_.scratch_dir + "/" + setup_.id + "-baseline-" + std::to_string(at.last.seq) + ".snap";
  std::string template_id = p_.router.prefix() + ".template." + std::to_string(at.last.seq);
  auto launched = p_.backend.Launch(template_id, setup_.baseline);
  if (!launched) return launched.error();
  Status snap = p_.backend.Snapshot(template_id, snapshot);
  (void)p_.backend.Terminate(template_id);
  if (!snap) return snap.error();
  int moved = 0;
  for (const auto& b : p_.router.Bindings()) {
    if (b.session.version != setup_.candidate.version) continue;
    auto restored = p_.backend.Restore(p_.router.NewSessionId(b.client), snapshot);
    if (!restored) return restored.error();
    std::string old = p_.router.Rebind(b.client, *restored);
    if (!old.empty()) (void)p_.backend.Terminate(old);
    ++moved;
  }
  return moved;
}

Result<Orchestrator::Next> Orchestrator::ActVerifying(Progress& at) {
  std::vector<std::string> problems;
  // The baseline image still starts and answers: a probe session, ended at once.
  std::string probe = p_.router.prefix() + ".probe." + std::to_string(at.last.seq);
  auto launched = p_.backend.Launch(probe, setup_.baseline);
  if (!launched) {
    problems.push_back("a baseline session does not start: " + launched.error().message);
  } else {
    auto healthy = p_.backend.Healthy(probe);
    if (!healthy || !*healthy) problems.push_back("a fresh baseline session is not healthy");
  }
  (void)p_.backend.Terminate(probe);
  int64_t verify_end = at.last.at_unix_ms + plan_.verify_ms;
  int checks = 0;
  while (problems.empty()) {
    auto sessions = p_.backend.List();
    if (!sessions) {
      problems.push_back("cannot list sessions: " + sessions.error().message);
      break;
    }
    for (const auto& s : *sessions) {
      if (!p_.router.Owns(s.id) || s.state == SessionState::kStopped) continue;
      if (s.version == setup_.candidate.version && s.state != SessionState::kFailed) {
        problems.push_back("canary session " + s.id + " is still running");
      } else if (s.version == setup_.baseline.version && s.state == SessionState::kRunning) {
        // Unhealthy means failing three probes in a row: one slow answer on a busy host is not a
        // broken baseline.
        bool unhealthy = true;
        for (int probe = 0; probe < 3 && unhealthy; ++probe) {
          if (probe > 0) p_.clock.SleepUntil(p_.clock.NowUnixMs() + 200);
          auto healthy = p_.backend.Healthy(s.id);
          unhealthy = healthy && !*healthy;  // an ended session (kNotFound) is not a problem
        }
        if (unhealthy) problems.push_back("baseline session " + s.id + " is unhealthy");
      }
    }
    ++checks;
    int64_t now = p_.clock.NowUnixMs();
    if (now >= verify_end) break;
    p_.clock.SleepUntil(std::min(now + plan_.interval_ms, verify_end));
    Tick();
  }
  if (!problems.empty()) {
    std::string reason;
    for (const auto& p : problems) reason += (reason.empty() ? "" : "; ") + p;
    if (auto st = Enter(at, rs::kEscalated, {{"reason", "the rollback could not be verified: " + reason}}); !st) {
      return st.error();
    }
    return Next::kContinue;
  }
  json ev = {{"checks", checks}, {"rollback_ms", p_.clock.NowUnixMs() - at.rollback_started_ms}};
  if (auto st = Enter(at, rs::kRolledBack, ev); !st) return st.error();
  return Next::kContinue;
}

Result<Orchestrator::Next> Orchestrator::ActEscalated(Progress& at) {
  std::string reason = at.evidence.value("reason", "unverified rollback");
  if (auto st = p_.store.SetFreeze({plan_.service, setup_.id, reason, at.last.at_unix_ms}); !st) return st.error();
  Notify("escalation", "rollout " + setup_.id + " of " + plan_.service + ": " + reason +
                           "; automated rollouts are frozen until a human clears them",
         at.evidence);
  at.outcome = RolloutOutcome::kEscalated;
  return Next::kDone;
}

void Orchestrator::Prepare() {
  if (prepared_) return;
  prepared_ = true;
  p_.router.SetImages(setup_.baseline, setup_.candidate);
  if (auto st = p_.router.Adopt(); !st) Note("cannot list the sessions of an earlier run: " + st.error().message);
}

Result<RolloutOutcome> Orchestrator::Run() {
  Prepare();
  while (true) {
    auto journal = p_.store.Journal(setup_.id);
    if (!journal) return journal.error();
    if (journal->empty()) return Error::NotFound("no rollout " + setup_.id);
    // Records a killed process journaled but did not audit.
    auto audited = p_.audit.LastSeq(setup_.id);
    if (!audited) return audited.error();
    for (const auto& r : *journal) {
      if (r.seq <= *audited) continue;
      if (auto st = p_.audit.Record(r); !st) return st.error();
    }
    Progress at;
    for (const auto& r : *journal) at.Apply(r);

    Result<Next> next = Next::kContinue;
    while (next && *next == Next::kContinue) {
      const std::string state = at.last.state;
      if (state == rs::kStarted) {
        at.decision = "pass";
        at.step = -1;
        next = AfterBake(at);
      } else if (state == rs::kStep || state == rs::kJudged) {
        next = ActStep(at);
      } else if (state == rs::kAwaitingHuman) {
        Notify("paused", "rollout " + setup_.id + " of " + plan_.service + " waits for a human: " +
                             at.evidence.value("reason", ""), at.evidence);
        return RolloutOutcome::kAwaitingHuman;
      } else if (state == rs::kApproved) {
        int to = at.evidence.value("step", 0);
        Status st = to >= static_cast<int>(plan_.steps.size())
                        ? Enter(at, rs::kPromoted, {{"weight", 100}, {"by", at.evidence.value("by", "")}})
                        : Enter(at, rs::kStep, StepEvidence(plan_, to));
        if (!st) next = st.error();
      } else if (state == rs::kRollback) {
        next = ActRollback(at);
      } else if (state == rs::kRollbackSessions) {
        next = ActRollbackSessions(at);
      } else if (state == rs::kVerifying) {
        next = ActVerifying(at);
      } else if (state == rs::kEscalated) {
        next = ActEscalated(at);
      } else if (state == rs::kRolledBack) {
        Notify("rollback", "rollout " + setup_.id + " of " + plan_.service + " rolled back to " +
                               setup_.baseline.version, at.evidence);
        return RolloutOutcome::kRolledBack;
      } else if (state == rs::kPromoted) {
        Notify("promoted", "rollout " + setup_.id + " of " + plan_.service + " promoted " + setup_.candidate.version,
               at.evidence);
        return RolloutOutcome::kPromoted;
      } else {
        return Error::Io("the journal of " + setup_.id + " has an unknown state '" + state + "'");
      }
    }
    if (!next) {
      // Another process appended between our read and our write (a human decision): the journal
      // has it, and the next pass acts on it. Any other error stops the run.
      if (next.error().kind != ErrorKind::kConflict) return next.error();
      if (p_.still_driving) {
        if (auto st = p_.still_driving(); !st) return st.error();
      }
      continue;
    }
    if (*next == Next::kDone) return *at.outcome;
    // kReload: another process decided; read the journal again.
  }
}

}  // namespace ringfence
