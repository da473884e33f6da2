// `ringfence rollout start|status|resume|promote|abort|unfreeze`: canary a candidate onto sessions
// and revert it automatically. Exit 0 promoted, 1 rolled back, 2 waiting for a human, 4 invalid
// input, 5 I/O error, 6 escalated (unverified rollback), 7 the service is frozen.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <map>
#include <optional>
#include <random>

#include "adapters/backends/backend_registry.h"
#include "adapters/common/files.h"
#include "adapters/common/system_clock.h"
#include "adapters/store/lease_holder.h"
#include "engine/core/redact.h"
#include "engine/rules/constraints_json.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/rollout_progress.h"
#include "cli/rollout_runtime.h"

namespace ringfence::cli {
namespace fs = std::filesystem;

namespace {

struct Flags {
  std::string state = DefaultStateDir();
  std::string plan_path, verdict, id, by, reason, service, format = "text", audit_key;
  RunOptions run;
  bool no_load = false;
};

std::string NewRolloutId(const std::string& service) {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", std::gmtime(&t));
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffff);
  std::string clean;
  for (char c : service) clean += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '-';
  return clean + "-" + stamp + "-" + suffix;
}

int Fail(const Error& e) {
  std::cerr << "ringfence rollout: " << e.message << "\n";
  return ExitCodeFor(e);
}

// The setup and plan of an existing rollout, from its journal.
Result<std::pair<RolloutSetup, RolloutPlan>> Existing(StateDir& state, const std::string& id) {
  auto rows = state.store->Journal(id);
  if (!rows) return rows.error();
  if (rows->empty()) return Error::NotFound("no rollout " + id + " in " + state.dir + " (ringfence rollout status lists them)");
  auto journal = DecodeJournal(*rows);
  if (!journal) return journal.error();
  auto setup = SetupOf(*journal);
  if (!setup) return setup.error();
  auto plan = backends::ParsePlanWithBackends(setup->plan_text, setup->plan_path);
  if (!plan) return plan.error().Wrap("the plan recorded at the start");
  // The journal holds the plan with its URLs' secrets redacted; the plan file, if it is still the
  // plan the rollout started with, gives them back.
  if (setup->plan_text != RedactSecrets(setup->plan_text) || setup->plan_text.find("***") != std::string::npos) {
    auto file = ReadWholeFile(setup->plan_path);
    if (file && RedactSecrets(*file) == setup->plan_text) {
      if (auto full = backends::ParsePlanWithBackends(*file, setup->plan_path)) plan = std::move(full);
    } else {
      std::cerr << "ringfence rollout: note: the plan's URL credentials were redacted from the journal and "
                << setup->plan_path << " is no longer that plan: notifications and Prometheus queries that "
                << "need them will fail\n";
    }
  }
  ApplyConstraints(*plan, setup->gate_constraints);
  return std::make_pair(std::move(*setup), std::move(*plan));
}

int Start(Flags& f) {
  auto text = ReadWholeFile(f.plan_path);
  if (!text) return Fail(text.error());
  auto plan = backends::ParsePlanWithBackends(*text, f.plan_path);
  if (!plan) return Fail(plan.error());
  auto backend_setup = backends::SetupBackend(*plan);
  if (!backend_setup) return Fail(backend_setup.error());
  RolloutSetup setup;
  if (!f.verdict.empty()) {
    auto verdict = ReadWholeFile(f.verdict);
    if (!verdict) return Fail(verdict.error());
    auto c = ConstraintsFromVerdict(*verdict, f.verdict);
    if (!c) return Fail(c.error());
    setup.gate_constraints = *c;
    ApplyConstraints(*plan, *c);
  }
  setup.id = NewRolloutId(plan->service);
  setup.plan_path = f.plan_path;
  setup.plan_text = RedactSecrets(*text);  // no URL credential reaches the journal or the audit log
  backends::BackendContext context = BackendContextOf(*plan, f.state);
  for (auto [image, into] : {std::pair{&plan->baseline_image, &setup.baseline}, {&plan->candidate_image, &setup.candidate}}) {
    auto ref = (*backend_setup)->Image(context, *image);
    if (!ref) return Fail(ref.error());
    *into = *ref;
  }
  if (setup.baseline.version == setup.candidate.version) {
    return Fail(Error::InvalidInput(f.plan_path + ": baseline and candidate are both version " + setup.baseline.version));
  }
  auto key = LoadAuditKey(f.audit_key, f.state);
  if (!key) return Fail(key.error());
  auto state = OpenStateDir(f.state, false, *key);
  if (!state) return Fail(state.error());
  SystemClock clock;
  auto backend = MakeBackend(*plan, state->dir);
  if (!backend) return Fail(backend.error());
  Capabilities caps = (*backend)->capabilities();
  backend->reset();
  JournalView journal(*state->store);
  f.run.holder = DriverId();
  auto started = StartRollout(*journal, *state->audit, setup, *plan, caps, clock.NowUnixMs(), f.run.holder);
  if (!started) {
    Fail(started.error());
    return started.error().kind == ErrorKind::kIndeterminate ? kExitFrozen : ExitCodeFor(started.error());
  }
  std::cerr << "rollout " << setup.id << ": " << plan->service << " " << setup.baseline.version << " -> "
            << setup.candidate.version << " on " << plan->backend << " (" << plan->steps.size() << " steps)\n";
  return RunRollout(*state, setup, *plan, f.run);
}

// The lease of a rollout's service when a live process (not this one) drives that rollout.
std::optional<Lease> LiveDriver(StateDir& state, const std::string& service, const std::string& id) {
  auto lease = state.store->LeaseOf(service);
  if (!lease || !*lease) return std::nullopt;
  SystemClock clock;
  if ((*lease)->rollout_id != id || (*lease)->expires_unix_ms <= clock.NowUnixMs()) return std::nullopt;
  if (!store::LeaseHolderAlive((*lease)->holder)) return std::nullopt;  // killed: its lease is free
  return **lease;
}

int Continue(Flags& f, const char* verb) {
  auto key = LoadAuditKey(f.audit_key, f.state);
  if (!key) return Fail(key.error());
  auto state = OpenStateDir(f.state, false, *key);
  if (!state) return Fail(state.error());
  auto existing = Existing(*state, f.id);
  if (!existing) return Fail(existing.error());
  auto [setup, plan] = std::move(*existing);
  SystemClock clock;
  std::string what = verb;
  if (what == "promote") {
    auto r = ApproveRollout(*state->store, *state->audit, f.id, f.by, clock.NowUnixMs());
    if (!r) return Fail(r.error());
  } else if (what == "abort") {
    auto r = AbortRollout(*state->store, *state->audit, f.id, f.by, f.reason, clock.NowUnixMs());
    if (!r) return Fail(r.error());
  }
  if (auto live = LiveDriver(*state, plan.service, f.id)) {
    if (what == "resume") {
      return Fail(Error::Conflict("rollout " + f.id + " is driven by " + live->holder + "; nothing to resume"));
    }
    std::cout << "rollout " << f.id << ": " << (what == "abort" ? "abort" : "approval") << " journaled; "
              << live->holder << " drives the rollout and carries it out (ringfence rollout status " << f.id
              << " --state " << state->dir << ")\n";
    return kExitOk;
  }
  return RunRollout(*state, setup, plan, f.run);
}

// "", "unattended" (not finished, and no live process drives it) or "awaiting a human".
std::string Attention(StateDir& state, const std::string& id, RolloutState last, const std::string& service) {
  if (IsTerminal(last) || last == RolloutState::kUnfrozen) return "";
  if (last == RolloutState::kAwaitingHuman) return "awaiting a human";
  return LiveDriver(state, service, id) ? "" : "unattended";
}

// A rollout's journal, decoded; its service.
struct Decoded {
  std::vector<TypedRecord> journal;
  std::string service;
};
Result<Decoded> Decode(StateDir& state, const std::string& id) {
  auto rows = state.store->Journal(id);
  if (!rows) return rows.error();
  auto journal = DecodeJournal(*rows);
  if (!journal) return journal.error();
  Decoded d{std::move(*journal), ""};
  if (auto setup = SetupOf(d.journal)) d.service = ServiceOf(*setup);
  return d;
}

// What a person can do next about a rollout that needs attention.
void PrintNextSteps(std::ostream& out, const std::string& attention, const std::string& id, const std::string& dir) {
  if (attention == "unattended") {
    out << "  UNATTENDED: no process drives it (its driver stopped or was killed); its sessions may still serve.\n"
        << "  finish it:  ringfence rollout resume " << id << " --state " << dir << "\n"
        << "  or revert:  ringfence rollout abort " << id << " --by NAME --state " << dir << "\n";
  } else if (attention == "awaiting a human") {
    out << "  promote: ringfence rollout promote " << id << " --by NAME --state " << dir << "\n"
        << "  abort:   ringfence rollout abort " << id << " --by NAME --state " << dir << "\n";
  }
}

int Status(Flags& f) {
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state) {
    if (state.error().kind == ErrorKind::kNotFound && f.id.empty()) {
      std::cout << "no rollouts in " << f.state << "\n";
      return kExitOk;
    }
    return Fail(state.error());
  }
  if (f.id.empty()) {
    auto all = state->store->Rollouts();
    if (!all) return Fail(all.error());
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : *all) {
      auto d = Decode(*state, r.rollout_id);
      if (!d) return Fail(d.error());
      const TypedRecord& last = d->journal.back();
      std::string attention = Attention(*state, r.rollout_id, last.state(), d->service);
      if (f.format == "json") {
        j.push_back({{"rollout", r.rollout_id}, {"service", d->service}, {"state", ToString(last.state())},
                     {"at", last.at_unix_ms}, {"attention", attention}});
        continue;
      }
      std::cout << r.rollout_id << "  " << ToString(last.state()) << "  " << RolloutProgress::Describe(last)
                << (attention.empty() ? "" : "  [" + attention + "]") << "\n";
      PrintNextSteps(std::cout, attention, r.rollout_id, state->dir);
    }
    if (f.format == "json") std::cout << j.dump(2) << "\n";
    else if (all->empty()) std::cout << "no rollouts in " << state->dir << "\n";
    return kExitOk;
  }
  auto d = Decode(*state, f.id);
  if (!d) return Fail(d.error());
  if (d->journal.empty()) return Fail(Error::NotFound("no rollout " + f.id + " in " + state->dir));
  const std::vector<TypedRecord>& journal = d->journal;
  const std::string& service = d->service;
  RolloutState last = journal.back().state();
  std::string attention = Attention(*state, f.id, last, service);
  if (f.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : journal) {
      j.push_back({{"seq", r.seq}, {"state", ToString(r.state())}, {"at", r.at_unix_ms},
                   {"evidence", nlohmann::json::parse(EvidenceJson(r.event))}});
    }
    std::cout << j.dump(2) << "\n";
  } else {
    int64_t t0 = journal.front().at_unix_ms;
    for (const auto& r : journal) {
      char at[32];
      std::snprintf(at, sizeof at, "%+8.3fs", (r.at_unix_ms - t0) / 1000.0);
      std::cout << "#" << r.seq << " " << at << "  " << RolloutProgress::Describe(r) << "\n";
    }
    PrintNextSteps(std::cout, attention, f.id, state->dir);
  }
  if (!service.empty()) {
    auto freeze = state->store->FreezeOf(service);
    if (freeze && *freeze) {
      (f.format == "json" ? std::cerr : std::cout) << "service " << service << " is FROZEN: " << (*freeze)->reason << "\n";
    }
  }
  if (auto outcome = OutcomeOf(last)) return ExitCodeFor(*outcome);
  return attention == "unattended" ? kExitIndeterminate : kExitOk;
}

// `rollout list`: every service with its latest rollout, state, driver and freeze.
int List(Flags& f) {
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state) {
    if (state.error().kind == ErrorKind::kNotFound) {
      std::cout << "no rollouts in " << f.state << "\n";
      return kExitOk;
    }
    return Fail(state.error());
  }
  auto all = state->store->Rollouts();  // most recent first
  if (!all) return Fail(all.error());
  std::map<std::string, std::pair<RolloutSummary, std::string>> latest;  // service -> (rollout, attention)
  std::vector<std::string> order;
  for (const auto& r : *all) {
    auto d = Decode(*state, r.rollout_id);
    if (!d) return Fail(d.error());
    if (d->service.empty() || latest.count(d->service)) continue;
    latest[d->service] = {r, Attention(*state, r.rollout_id, d->journal.back().state(), d->service)};
    order.push_back(d->service);
  }
  nlohmann::json j = nlohmann::json::array();
  for (const auto& service : order) {
    const auto& [r, attention] = latest[service];
    auto lease = state->store->LeaseOf(service);
    std::string driver = LiveDriver(*state, service, r.rollout_id) ? (*lease)->holder : "";
    auto freeze = state->store->FreezeOf(service);
    std::string frozen = freeze && *freeze ? (*freeze)->reason : "";
    if (f.format == "json") {
      j.push_back({{"service", service}, {"rollout", r.rollout_id}, {"state", r.last.state}, {"driver", driver},
                   {"attention", attention}, {"frozen", frozen}});
      continue;
    }
    std::cout << service << "  " << r.rollout_id << "  " << r.last.state
              << (driver.empty() ? "" : "  driven by " + driver) << (attention.empty() ? "" : "  [" + attention + "]")
              << (frozen.empty() ? "" : "  FROZEN: " + frozen) << "\n";
  }
  if (f.format == "json") std::cout << j.dump(2) << "\n";
  else if (order.empty()) std::cout << "no rollouts in " << state->dir << "\n";
  return kExitOk;
}

int Unfreeze(Flags& f) {
  auto key = LoadAuditKey(f.audit_key, f.state);
  if (!key) return Fail(key.error());
  auto state = OpenStateDir(f.state, false, *key);
  if (!state) return Fail(state.error());
  auto freeze = state->store->FreezeOf(f.service);
  if (!freeze) return Fail(freeze.error());
  if (!*freeze) return Fail(Error::InvalidInput(f.service + " is not frozen"));
  // The human decision is journaled (and so audited) under the service's own record.
  SystemClock clock;
  std::string record_id = "freeze:" + f.service;
  auto last = state->store->Last(record_id);
  if (!last) return Fail(last.error());
  auto rec = state->store->Append(
      EncodeRecord(record_id, UnfrozenEvent{f.service, f.by, f.reason, (*freeze)->rollout_id}, clock.NowUnixMs()),
      *last ? (*last)->seq : 0);
  if (!rec) return Fail(rec.error());
  if (auto st = state->audit->Record(*rec); !st) return Fail(st.error());
  if (auto st = state->store->ClearFreeze(f.service); !st) return Fail(st.error());
  std::cout << f.service << ": automated rollouts allowed again (cleared by " << f.by << ")\n";
  return kExitOk;
}

void RunFlags(CLI::App* sub, Flags& f) {
  sub->add_flag("!--no-load", f.run.load, "Do not drive the plan's built-in load");
  sub->add_flag("--keep-sessions", f.run.keep_sessions, "Leave the built-in load's sessions running at the end");
  sub->add_option("--format", f.run.format, "Report: text or json")->check(CLI::IsMember({"text", "json"}));
}

}  // namespace

Runner SetupRollout(CLI::App& app) {
  auto f = std::make_shared<Flags>();
  f->run.live = isatty(STDERR_FILENO);
  app.require_subcommand(1);
  app.add_option("--state", f->state, "State directory: journal, audit log, sessions (default $RINGFENCE_STATE or .ringfence/state)")
      ->capture_default_str();
  app.add_option("--audit-key", f->audit_key,
                 "Key file that authenticates the audit log (HMAC-SHA256), kept outside the state directory "
                 "(default $RINGFENCE_AUDIT_KEY_FILE)");
  auto* start = app.add_subcommand("start", "Start a rollout of PLAN.yaml and drive it to an outcome");
  start->add_option("plan", f->plan_path, "Rollout plan (YAML)")->required();
  start->add_option("--verdict", f->verdict, "The gate's verdict (ringfence check --format json): its rollout constraints apply");
  RunFlags(start, *f);
  auto* status = app.add_subcommand("status", "List rollouts, or show one's journal");
  status->add_option("id", f->id, "Rollout id");
  status->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto* list = app.add_subcommand("list", "Every service's latest rollout: state, driver, freeze");
  list->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto* resume = app.add_subcommand("resume", "Continue a rollout from its journal (after a crash)");
  resume->add_option("id", f->id, "Rollout id")->required();
  RunFlags(resume, *f);
  auto* promote = app.add_subcommand("promote", "A human approves the step the rollout waits for, and it continues");
  promote->add_option("id", f->id, "Rollout id")->required();
  promote->add_option("--by", f->by, "Who approves")->required();
  RunFlags(promote, *f);
  auto* abort = app.add_subcommand("abort", "Roll back now");
  abort->add_option("id", f->id, "Rollout id")->required();
  abort->add_option("--by", f->by, "Who aborts")->required();
  abort->add_option("--reason", f->reason, "Why");
  RunFlags(abort, *f);
  auto* unfreeze = app.add_subcommand("unfreeze", "A human clears a service's freeze after an escalation");
  unfreeze->add_option("service", f->service, "Service")->required();
  unfreeze->add_option("--by", f->by, "Who clears it")->required();
  unfreeze->add_option("--reason", f->reason, "What was done");
  return [f, start, status, list, resume, promote, abort, unfreeze]() -> int {
    // These settle in the state directory's own journal; a relative --state is taken as given.
    if (start->parsed()) return Start(*f);
    if (status->parsed()) return Status(*f);
    if (list->parsed()) return List(*f);
    if (resume->parsed()) return Continue(*f, "resume");
    if (promote->parsed()) return Continue(*f, "promote");
    if (abort->parsed()) return Continue(*f, "abort");
    if (unfreeze->parsed()) return Unfreeze(*f);
    return kExitInvalidInput;
  };
}

}  // namespace ringfence::cli
