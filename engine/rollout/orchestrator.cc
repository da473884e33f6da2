#include "engine/rollout/orchestrator.h"

#include <algorithm>
#include <set>
#include <variant>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/core/duration.h"

namespace ringfence {
namespace {

using RS = RolloutState;

MetricVerdictRecord VerdictRecord(const MetricSpec& m, const char* judge, const JudgeVerdict& v) {
  return {m.name, judge, v.outcome, v.reason, v.p_value, v.effect};
}

Result<JournalRecord> AppendAudited(StateStore& store, AuditLog& audit, const JournalRecord& r,
                                    int64_t expected_seq) {
  auto rec = store.Append(r, expected_seq);
  if (!rec) return rec.error();
  if (auto st = audit.Record(*rec); !st) return st.error();
  return *rec;
}

}  // namespace

std::string ServiceOfJournal(const std::vector<JournalRecord>& journal) {
  if (journal.empty()) return "";
  auto first = DecodeRecord(journal.front());
  if (!first) return "";
  const auto* started = std::get_if<StartedEvent>(&first->event);
  return started ? ServiceOf(started->setup) : "";
}

Result<JournalRecord> StartRollout(StateStore& store, AuditLog& audit, const RolloutSetup& setup,
                                   const RolloutPlan& plan, const Capabilities& backend, int64_t now_unix_ms,
                                   const std::string& holder) {
  auto freeze = store.FreezeOf(plan.service);
  if (!freeze) return freeze.error();
  if (*freeze) {
    return Error{ErrorKind::kIndeterminate,
                 "automated rollouts of " + plan.service + " are frozen since rollout " +
                     (*freeze)->rollout_id + " could not verify its rollback (" + (*freeze)->reason +
                     "); a human clears it with `ringfence rollout unfreeze " + plan.service + "`"};
  }
  if (plan.rollback_sessions == RollbackSessions::kRestore && !backend.snapshot) {
    return Error::InvalidInput(plan.path +
                               ": rollback.sessions: restore needs a backend that snapshots sessions; " +
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
  if (auto st = store.TakeLease({plan.service, setup.id, holder, now_unix_ms + kLeaseTtlMs}, now_unix_ms);
      !st) {
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
    auto state = ParseRolloutState(r.last.state);
    if (r.rollout_id.rfind("freeze:", 0) == 0 || (state && IsTerminal(*state))) continue;
    auto journal = store.Journal(r.rollout_id);
    if (!journal) return release(journal.error());
    if (ServiceOfJournal(*journal) != plan.service) continue;
    return release(Error::Conflict(
        "rollout " + r.rollout_id + " of " + plan.service + " has not finished (it is " + r.last.state +
        ") and no process drives it: `ringfence rollout resume " + r.rollout_id +
        "` to finish it, or `ringfence rollout abort " + r.rollout_id + " --by NAME` to roll it back"));
  }
  RolloutSetup recorded = setup;
  recorded.service = plan.service;
  auto started = AppendAudited(store, audit, EncodeRecord(setup.id, StartedEvent{recorded}, now_unix_ms), 0);
  if (!started) return release(started.error());
  return started;
}

Result<JournalRecord> RecordNotAdmitted(StateStore& store, AuditLog& audit, const RolloutSetup& setup,
                                        int64_t now_unix_ms) {
  auto last = store.Last(setup.id);
  if (!last) return last.error();
  if (*last) return Error::InvalidInput("rollout " + setup.id + " exists already");
  return AppendAudited(store, audit, EncodeRecord(setup.id, NotAdmittedEvent{setup}, now_unix_ms), 0);
}

Result<JournalRecord> ApproveRollout(StateStore& store, AuditLog& audit, const std::string& id,
                                     const std::string& by, int64_t now_unix_ms) {
  auto last = store.Last(id);
  if (!last) return last.error();
  if (!*last) return Error::NotFound("no rollout " + id);
  auto decided = DecodeRecord(**last);
  if (!decided) return decided.error();
  const auto* waiting = std::get_if<AwaitingHumanEvent>(&decided->event);
  if (!waiting) {
    return Error::InvalidInput("rollout " + id + " is not waiting for a human (it is " + (*last)->state +
                               ")");
  }
  auto rec = AppendAudited(store, audit, EncodeRecord(id, ApprovedEvent{waiting->step, by}, now_unix_ms),
                           (*last)->seq);
  if (!rec && rec.error().kind == ErrorKind::kConflict) {
    auto now = store.Last(id);
    std::string what = now && *now ? (*now)->state : "changed";
    return Error::Conflict("rollout " + id + " changed while you decided (it is " + what +
                           " now); nothing was approved");
  }
  return rec;
}

Result<JournalRecord> AbortRollout(StateStore& store, AuditLog& audit, const std::string& id,
                                   const std::string& by, const std::string& reason, int64_t now_unix_ms) {
  RollbackEvent abort{"aborted by " + by + (reason.empty() ? "" : ": " + reason), std::nullopt, by};
  int64_t decided_on = -1;  // the record the human decided on: what came after it may stop the abort
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto rows = store.Journal(id);
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound("no rollout " + id);
    auto journal = DecodeJournal(*rows);
    if (!journal) return journal.error();
    for (const auto& r : *journal) {
      if (r.state() == RS::kRollback)
        return Error::InvalidInput("rollout " + id + " is rolling back already");
      if (decided_on >= 0 && r.seq > decided_on && (r.state() == RS::kApproved || IsTerminal(r.state()))) {
        return Error::Conflict("rollout " + id + " changed while you decided: #" + std::to_string(r.seq) +
                               " " + ToString(r.state()) + " came first; nothing was aborted");
      }
    }
    if (IsTerminal(journal->back().state())) {
      return Error::InvalidInput("rollout " + id + " has ended (" + ToString(journal->back().state()) + ")");
    }
    if (decided_on < 0) decided_on = journal->back().seq;
    auto rec = AppendAudited(store, audit, EncodeRecord(id, abort, now_unix_ms), journal->back().seq);
    if (rec || rec.error().kind != ErrorKind::kConflict) return rec;
    // The orchestrator appended meanwhile: look again (a human decision among what it appended stops the
    // abort).
  }
  return Error::Conflict("rollout " + id + " kept changing; nothing was aborted, try again");
}

// What the journal says so far.
struct Orchestrator::Progress {
  std::optional<TypedRecord> last;
  int step = -1;
  int64_t step_started_ms = 0;
  int64_t canary_started_ms = 0;
  int64_t last_judged_ms = 0;
  bool judged_in_step = false;
  std::optional<JudgedEvent> judged;  // the step's last judgement
  int64_t rollback_started_ms = 0;
  bool rolling_back = false;  // a rollback is journaled: final
  std::optional<RolloutOutcome> outcome;

  int64_t seq() const { return last ? last->seq : 0; }
  int64_t at() const { return last ? last->at_unix_ms : 0; }
  RS state() const { return last->state(); }
  void Apply(const TypedRecord& r) {
    last = r;
    if (const auto* step_ev = std::get_if<StepEvent>(&r.event)) {
      step = step_ev->step;
      step_started_ms = r.at_unix_ms;
      if (canary_started_ms == 0) canary_started_ms = r.at_unix_ms;
      judged_in_step = false;
      judged.reset();
    } else if (const auto* j = std::get_if<JudgedEvent>(&r.event)) {
      judged_in_step = true;
      last_judged_ms = r.at_unix_ms;
      judged = *j;
    } else if (std::holds_alternative<RollbackEvent>(r.event)) {
      rollback_started_ms = r.at_unix_ms;
      rolling_back = true;
    }
  }
  bool Decided(JudgedDecision d) const { return judged && judged->decision == d; }
};

Status Orchestrator::Enter(Progress& at, RolloutEvent event) {
  if (p_.still_driving) {
    if (auto st = p_.still_driving(); !st) return st;
  }
  RS state = StateOf(event);
  // A rollback, once journaled, is final: nothing but its own states may follow it.
  if (at.rolling_back && !IsRollbackState(state)) {
    return Error::Internal("rollout " + setup_.id + " is rolling back; refusing to journal " +
                           ToString(state));
  }
  auto rec =
      AppendAudited(p_.store, p_.audit, EncodeRecord(setup_.id, event, p_.clock.NowUnixMs()), at.seq());
  if (!rec) return rec.error();
  TypedRecord typed{rec->seq, rec->rollout_id, rec->at_unix_ms, std::move(event)};
  at.Apply(typed);
  if (p_.observer) p_.observer->OnRecord(typed);
  return Status::Ok();
}

void Orchestrator::Note(const std::string& note) {
  if (p_.observer) p_.observer->OnNote(setup_.id, note);
}

void Orchestrator::Notify(const std::string& kind, const std::string& summary, const RolloutEvent& details) {
  if (!p_.notifier) return;
  auto d = nlohmann::json::parse(EvidenceJson(details));
  d.erase("format");
  d["service"] = plan_.service;
  d["baseline"] = setup_.baseline.version;
  d["candidate"] = setup_.candidate.version;
  if (auto st = p_.notifier->Notify({setup_.id, kind, summary, d.dump()}); !st) {
    Note("notification failed (the journal and audit log have the decision): " + st.error().message);
  }
}

void Orchestrator::Tick() {
  Expired expired = p_.router.Expire(SessionLimitsOf(plan_, setup_.admission));
  if (!expired.recycled.empty()) {
    Note("recycling " + std::to_string(expired.recycled.size()) +
         " session(s) past the maximum session age at their clients' next idle point");
  }
}

Result<bool> Orchestrator::ChangedElsewhere(const Progress& at) {
  auto last = p_.store.Last(setup_.id);
  if (!last) return last.error();
  return *last && (*last)->seq != at.seq();
}

JudgedEvent Orchestrator::JudgeAll(const Progress& at) {
  int64_t now = p_.clock.NowUnixMs();
  JudgedEvent out;
  out.step = at.step;
  out.weight = plan_.steps[at.step].weight;
  out.window_ms = now - at.step_started_ms;
  bool fail = false;
  for (const auto& m : plan_.metrics) {
    MetricSource* source = m.source == MetricSourceKind::kPrometheus ? p_.prometheus : &p_.sessions;
    // The sequential test accumulates since the canary began (it is valid at every look); the
    // others judge the current step.
    bool cumulative = std::holds_alternative<SequentialJudge>(m.judge);
    MetricWindow window{cumulative ? at.canary_started_ms : at.step_started_ms, now};
    JudgeVerdict v;
    const char* judge_name = "";
    if (!source) v.reason = "no prometheus source configured";
    std::visit(
        [&](const auto& judge) {
          using J = std::decay_t<decltype(judge)>;
          if constexpr (std::is_same_v<J, ThresholdJudge> || std::is_same_v<J, MannWhitneyJudge>) {
            judge_name = std::is_same_v<J, ThresholdJudge> ? "threshold" : "mann_whitney";
            if (!source) return;
            auto samples = source->Samples(m, window);
            if (samples)
              v = judge.Judge(*samples);
            else
              v.reason = samples.error().message;
          } else {
            judge_name = std::is_same_v<J, CountJudge> ? "count" : "sequential";
            if (!source) return;
            auto counts = source->Counts(m, window);
            if (counts)
              v = judge.Judge(*counts);
            else
              v.reason = counts.error().message;
          }
        },
        m.judge);
    out.verdicts.push_back(VerdictRecord(m, judge_name, v));
    if (v.outcome == JudgeOutcome::kFail) fail = true;
    if (v.outcome == JudgeOutcome::kNoData || v.outcome == JudgeOutcome::kInconclusive) {
      OnUnclear policy = v.outcome == JudgeOutcome::kNoData ? plan_.on_no_data : plan_.on_inconclusive;
      if (policy == OnUnclear::kFail)
        out.unclear_action = UnclearAction::kRollback;
      else if (!out.unclear_action)
        out.unclear_action = UnclearAction::kPause;
      if (!out.unclear_reason.empty()) out.unclear_reason += "; ";
      out.unclear_reason +=
          m.name + " " + ToString(v.outcome) + (v.reason.empty() ? "" : " (" + v.reason + ")");
    }
  }
  for (const auto& b : p_.router.Bindings()) {
    (b.session.version == setup_.candidate.version ? out.canary_sessions : out.baseline_sessions)++;
    if (b.session.state == SessionState::kParked) ++out.parked_sessions;
  }
  out.decision = fail                 ? JudgedDecision::kFail
                 : out.unclear_action ? JudgedDecision::kUnclear
                                      : JudgedDecision::kPass;
  if (out.decision != JudgedDecision::kUnclear) {
    out.unclear_action.reset();
    out.unclear_reason.clear();
  }
  return out;
}

namespace {

std::string FailReason(const JudgedEvent& judged) {
  std::string reason;
  for (const auto& v : judged.verdicts) {
    if (v.outcome != JudgeOutcome::kFail) continue;
    if (!reason.empty()) reason += "; ";
    reason += v.metric + " failed the " + v.judge + " judge: " + v.reason;
  }
  return reason;
}

std::string FormatPercent(double weight) {
  char b[32];
  std::snprintf(b, sizeof b, "%g%%", weight);
  return b;
}

StepEvent StepOf(const RolloutPlan& plan, int step) {
  return {step, plan.steps[static_cast<size_t>(step)].weight, plan.steps[static_cast<size_t>(step)].bake_ms};
}

}  // namespace

// Enter the next step, wait for a human first, or promote.
Result<Orchestrator::Next> Orchestrator::AfterBake(Progress& at) {
  int next = at.step + 1;
  if (at.Decided(JudgedDecision::kUnclear)) {
    std::string why = "unclear at the end of step " + std::to_string(at.step + 1);
    Status st =
        at.judged->unclear_action == UnclearAction::kRollback
            ? Enter(at, RollbackEvent{why + " and the plan says fail: " + at.judged->unclear_reason, {}, ""})
            : Enter(at, AwaitingHumanEvent{next, why + ": " + at.judged->unclear_reason});
    if (!st) return st.error();
    return Next::kContinue;
  }
  if (next >= static_cast<int>(plan_.steps.size())) {
    if (auto st = Enter(at, PromotedEvent{""}); !st) return st.error();
    return Next::kContinue;
  }
  if (plan_.steps[static_cast<size_t>(next)].needs_human) {
    double weight = plan_.steps[static_cast<size_t>(next)].weight;
    std::string why = weight >= 100 && plan_.constraints.human_promotion
                          ? "the gate requires a human to promote to 100%"
                          : "the gate caps automated canaries below " + FormatPercent(weight);
    if (auto st = Enter(at, AwaitingHumanEvent{next, why}); !st) return st.error();
    return Next::kContinue;
  }
  if (auto st = Enter(at, StepOf(plan_, next)); !st) return st.error();
  return Next::kContinue;
}

// kStep and kJudged: route the step's share, judge every interval until the bake is over.
Result<Orchestrator::Next> Orchestrator::ActStep(Progress& at) {
  if (at.state() == RS::kJudged && at.Decided(JudgedDecision::kFail)) {
    if (auto st = Enter(at, RollbackEvent{FailReason(*at.judged), at.step, ""}); !st) return st.error();
    return Next::kContinue;
  }
  const RolloutStep& step = plan_.steps[static_cast<size_t>(at.step)];
  if (auto st = p_.router.SetWeight(step.weight); !st) {
    if (auto e =
            Enter(at, RollbackEvent{"the backend refused the step's weight: " + st.error().message, {}, ""});
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
    JudgedEvent judged = JudgeAll(at);
    if (auto st = Enter(at, judged); !st) return st.error();
    if (judged.decision == JudgedDecision::kFail) {
      if (auto st = Enter(at, RollbackEvent{FailReason(judged), at.step, ""}); !st) return st.error();
      return Next::kContinue;
    }
  }
  if (step.bake_ms == 0) at.judged.reset();  // nothing to judge at this step: it passes
  return AfterBake(at);
}

Result<Orchestrator::Next> Orchestrator::ActRollback(Progress& at) {
  if (auto st = p_.router.SetWeight(0); !st) {
    if (auto e =
            Enter(at, EscalatedEvent{"cannot route new sessions to the baseline: " + st.error().message});
        !e) {
      return e.error();
    }
    return Next::kContinue;
  }
  int canary = 0;
  for (const auto& b : p_.router.Bindings()) canary += b.session.version == setup_.candidate.version;
  if (auto st = Enter(at, RollbackSessionsEvent{plan_.rollback_sessions, canary, plan_.drain_timeout_ms});
      !st) {
    return st.error();
  }
  return Next::kContinue;
}

Result<Orchestrator::Next> Orchestrator::ActRollbackSessions(Progress& at) {
  const std::string& version = setup_.candidate.version;
  VerifyingEvent ev;
  if (plan_.rollback_sessions == RollbackSessions::kDrain) {
    p_.router.Drain(version);
    int64_t deadline = at.at() + plan_.drain_timeout_ms;
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
    ev.drained_by_ms = p_.clock.NowUnixMs() - at.at();
  } else if (plan_.rollback_sessions == RollbackSessions::kRestore) {
    auto restored = RestoreOntoBaseline(at);
    if (!restored) {
      if (auto st = Enter(
              at, EscalatedEvent{"cannot restore clients onto the baseline: " + restored.error().message});
          !st) {
        return st.error();
      }
      return Next::kContinue;
    }
    ev.restored = *restored;
  }
  // Whatever is left of the candidate (busy past the drain deadline, or terminate mode).
  auto ended = p_.router.TerminateVersion(version);
  if (!ended) {
    if (auto st = Enter(at, EscalatedEvent{"cannot terminate canary sessions: " + ended.error().message});
        !st) {
      return st.error();
    }
    return Next::kContinue;
  }
  ev.terminated = static_cast<int64_t>(ended->size());
  if (auto st = Enter(at, ev); !st) return st.error();
  return Next::kContinue;
}

// Each canary session's client moves onto a baseline session restored from a snapshot of a fresh
// baseline session (a warm start, not a cold boot); the canary session ends. Idempotent: clients
// already moved have no canary session left to move.
Result<int> Orchestrator::RestoreOntoBaseline(const Progress& at) {
  std::string snapshot = p_.scratch_dir + "/" + setup_.id + "-baseline-" + std::to_string(at.seq()) + ".snap";
  std::string template_id = p_.router.prefix() + ".template." + std::to_string(at.seq());
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
  std::string probe = p_.router.prefix() + ".probe." + std::to_string(at.seq());
  auto launched = p_.backend.Launch(probe, setup_.baseline);
  if (!launched) {
    problems.push_back("a baseline session does not start: " + launched.error().message);
  } else {
    auto healthy = p_.backend.Healthy(probe);
    if (!healthy || !*healthy) problems.push_back("a fresh baseline session is not healthy");
  }
  (void)p_.backend.Terminate(probe);
  int64_t verify_end = at.at() + plan_.verify_ms;
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
    if (auto st = Enter(at, EscalatedEvent{"the rollback could not be verified: " + reason}); !st)
      return st.error();
    return Next::kContinue;
  }
  if (auto st = Enter(at, RolledBackEvent{checks, p_.clock.NowUnixMs() - at.rollback_started_ms}); !st)
    return st.error();
  return Next::kContinue;
}

Result<Orchestrator::Next> Orchestrator::ActEscalated(Progress& at) {
  const auto& escalated = std::get<EscalatedEvent>(at.last->event);
  if (auto st = p_.store.SetFreeze({plan_.service, setup_.id, escalated.reason, at.at()}); !st)
    return st.error();
  Notify("escalation",
         "rollout " + setup_.id + " of " + plan_.service + ": " + escalated.reason +
             "; automated rollouts are frozen until a human clears them",
         at.last->event);
  at.outcome = RolloutOutcome::kEscalated;
  return Next::kDone;
}

void Orchestrator::Prepare() {
  if (prepared_) return;
  prepared_ = true;
  p_.router.SetImages(setup_.baseline, setup_.candidate);
  if (auto st = p_.router.Adopt(); !st)
    Note("cannot list the sessions of an earlier run: " + st.error().message);
}

Result<RolloutOutcome> Orchestrator::Run() {
  Prepare();
  while (true) {
    auto rows = p_.store.Journal(setup_.id);
    if (!rows) return rows.error();
    if (rows->empty()) return Error::NotFound("no rollout " + setup_.id);
    auto journal = DecodeJournal(*rows);
    if (!journal) return journal.error();
    // Records a killed process journaled but did not audit.
    auto audited = p_.audit.LastSeq(setup_.id);
    if (!audited) return audited.error();
    for (const auto& r : *rows) {
      if (r.seq <= *audited) continue;
      if (auto st = p_.audit.Record(r); !st) return st.error();
    }
    Progress at;
    for (const auto& r : *journal) at.Apply(r);

    Result<Next> next = Next::kContinue;
    while (next && *next == Next::kContinue) {
      const RolloutEvent& event = at.last->event;
      switch (at.state()) {
        case RS::kNotAdmitted:  // never driven: its only record is the refusal
          return Error::InvalidInput("rollout " + setup_.id + " was not admitted: there is nothing to run");
        case RS::kStarted:
          at.step = -1;
          at.judged.reset();
          next = AfterBake(at);
          break;
        case RS::kStep:
        case RS::kJudged:
          next = ActStep(at);
          break;
        case RS::kAwaitingHuman:
          Notify("paused",
                 "rollout " + setup_.id + " of " + plan_.service +
                     " waits for a human: " + std::get<AwaitingHumanEvent>(event).reason,
                 event);
          return RolloutOutcome::kAwaitingHuman;
        case RS::kApproved: {
          const auto& approved = std::get<ApprovedEvent>(event);
          Status st = approved.step >= static_cast<int>(plan_.steps.size())
                          ? Enter(at, PromotedEvent{approved.by})
                          : Enter(at, StepOf(plan_, approved.step));
          if (!st) next = st.error();
          break;
        }
        case RS::kRollback:
          next = ActRollback(at);
          break;
        case RS::kRollbackSessions:
          next = ActRollbackSessions(at);
          break;
        case RS::kVerifying:
          next = ActVerifying(at);
          break;
        case RS::kEscalated:
          next = ActEscalated(at);
          break;
        case RS::kRolledBack:
          Notify(
              "rollback",
              "rollout " + setup_.id + " of " + plan_.service + " rolled back to " + setup_.baseline.version,
              event);
          return RolloutOutcome::kRolledBack;
        case RS::kPromoted:
          Notify("promoted",
                 "rollout " + setup_.id + " of " + plan_.service + " promoted " + setup_.candidate.version,
                 event);
          return RolloutOutcome::kPromoted;
        case RS::kUnfrozen:
          return Error::Io("the journal of " + setup_.id +
                           " holds a service record (unfrozen) among its own");
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
