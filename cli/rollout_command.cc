// `ringfence rollout start|status|resume|promote|abort|unfreeze`: canary a candidate onto sessions
// and revert it automatically. Exit 0 promoted, 1 rolled back, 2 waiting for a human, 4 invalid
// input, 5 I/O error, 6 escalated (unverified rollback), 7 the service is frozen.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "adapters/backends/backend_registry.h"
#include "adapters/common/files.h"
#include "adapters/common/system_clock.h"
#include "adapters/metrics/rollout_metrics_exposition.h"
#include "adapters/store/lease_holder.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/image_policy_source.h"
#include "cli/output_options.h"
#include "cli/rollout_progress.h"
#include "cli/rollout_runtime.h"
#include "engine/core/ansi_style.h"
#include "engine/core/duration.h"
#include "engine/core/redact.h"
#include "engine/image/image_policy.h"
#include "engine/rollout/rollout_metrics.h"
#include "engine/rules/constraints_json.h"

namespace ringfence::cli {
namespace fs = std::filesystem;

namespace {

struct RolloutFlags {
  std::string state = DefaultStateDir();
  std::string plan_path, verdict, id, by, reason, service, format = "text", audit_key, textfile;
  RunOptions run;
  bool no_load = false;
  bool watch = false;
  std::string interval = "1s";
  std::string image_policy, policy_repo, policy_rev = "HEAD";
  bool policy_named = false;  // --policy-repo or --policy-rev given: the policy must be there
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

Result<StateDir> OpenForWriting(const RolloutFlags& f) {
  return OpenStateDirForWriting(f.state, f.audit_key);
}

// Admission as people read it: on stderr, each image with every reason it was refused.
void PrintAdmission(const AdmissionDecision& d, const std::string& id) {
  bool color = Output().color_stdout;  // stderr and stdout share a terminal when people read them
  for (const ImageAdmission* i : {&d.candidate, &d.baseline}) {
    bool unsafe_baseline = i->role == "baseline" && !i->admitted;
    if (i->admitted && Output().quiet) continue;
    std::cerr << (i->admitted       ? Paint("admitted", Tone::kGood, color)
                  : unsafe_baseline ? Paint("UNSAFE BASELINE", Tone::kWarn, color)
                                    : Paint("NOT ADMITTED", Tone::kBad, color))
              << ": " << i->role << " " << i->version << " " << i->digest << " (" << i->findings
              << " finding(s), " << i->failing << " failing; policy " << d.policy << ")\n";
    for (const auto& why : i->reasons) std::cerr << "  " << why << "\n";
    if (unsafe_baseline) std::cerr << "  a rollback would return to an image the policy does not admit\n";
  }
  if (!d.admitted())
    std::cerr << "rollout " << id << ": not admitted; no session was started (journaled and audited)\n";
}

int Start(RolloutFlags& f) {
  auto state = OpenForWriting(f);
  if (!state) return Fail("rollout", state.error());
  RolloutWiring wiring(*state, f.run.live);
  f.run.holder = DriverId();
  auto admit =
      LoadImageAdmission(f.policy_repo.empty() ? fs::path(f.plan_path).parent_path().string() : f.policy_repo,
                         f.image_policy, f.policy_rev, f.policy_named);
  if (!admit) return Fail("rollout", admit.error());
  wiring.world().admit = *admit;
  if (!*admit && !Output().quiet)
    std::cerr << "ringfence rollout: note: no image policy (" << kImagePolicyPath << " at " << f.policy_rev
              << ", or --image-policy): images are not admitted\n";
  auto rollout =
      app::StartRolloutFromPlan(wiring.world(), f.plan_path, f.verdict, NewRolloutId, f.run.holder);
  if (!rollout) {
    Fail("rollout", rollout.error());
    return rollout.error().kind == ErrorKind::kIndeterminate ? kExitFrozen : ExitCodeFor(rollout.error());
  }
  if (rollout->setup.admission) {
    PrintAdmission(*rollout->setup.admission, rollout->setup.id);
    if (!rollout->admitted) return kExitNotAdmitted;
  }
  if (!Output().quiet)
    std::cerr << "rollout " << rollout->setup.id << ": " << rollout->plan.service << " "
              << rollout->setup.baseline.version << " -> " << rollout->setup.candidate.version << " on "
              << rollout->plan.backend << " (" << rollout->plan.steps.size() << " steps)\n";
  return RunRollout(wiring, *rollout, f.run);
}

int Continue(RolloutFlags& f, const char* verb) {
  auto state = OpenForWriting(f);
  if (!state) return Fail("rollout", state.error());
  RolloutWiring wiring(*state, f.run.live);
  app::RolloutWorld& world = wiring.world();
  std::string note;
  auto rollout = app::LoadRollout(world, f.id, &note);
  if (!rollout) return Fail("rollout", rollout.error());
  if (!note.empty()) std::cerr << "ringfence rollout: note: " << note << "\n";
  std::string what = verb;
  int64_t now = world.clock.NowUnixMs();
  if (what == "promote") {
    auto r = ApproveRollout(world.store, world.audit, f.id, f.by, now);
    if (!r) return Fail("rollout", r.error());
  } else if (what == "abort") {
    auto r = AbortRollout(world.store, world.audit, f.id, f.by, f.reason, now);
    if (!r) return Fail("rollout", r.error());
  }
  if (what != "resume") f.run.journaled_decision = what == "abort" ? "abort" : "approval";
  if (auto live = app::LiveDriver(world.store, now, world.holder_alive, rollout->plan.service, f.id)) {
    if (what == "resume") {
      return Fail("rollout", Error::Conflict("rollout " + f.id + " is driven by " + live->holder +
                                             "; nothing to resume"));
    }
    PrintHandedOver(std::cout, f.id, f.run.journaled_decision, live->holder, state->dir);
    return kExitOk;
  }
  return RunRollout(wiring, *rollout, f.run);
}

// The live driver of a rollout, as a read-only command sees it.
std::optional<Lease> LiveDriver(StateDir& state, const std::string& service, const std::string& id) {
  SystemClock clock;
  return app::LiveDriver(*state.store, clock.NowUnixMs(), store::LeaseHolderAlive, service, id);
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
void PrintNextSteps(std::ostream& out, const std::string& attention, const std::string& id,
                    const std::string& dir) {
  if (attention == "unattended") {
    out << "  UNATTENDED: no process drives it (its driver stopped or was killed); its sessions may still "
           "serve.\n"
        << "  finish it:  ringfence rollout resume " << id << " --state " << dir << "\n"
        << "  or revert:  ringfence rollout abort " << id << " --by NAME --state " << dir << "\n";
  } else if (attention == "awaiting a human") {
    out << "  promote: ringfence rollout promote " << id << " --by NAME --state " << dir << "\n"
        << "  abort:   ringfence rollout abort " << id << " --by NAME --state " << dir << "\n";
  }
}

// A state as a terminal shows it: outcomes in colour when asked for.
std::string Painted(RolloutState state, const std::string& text) {
  auto outcome = OutcomeOf(state);
  if (!outcome) return text;
  Tone tone = *outcome == RolloutOutcome::kPromoted        ? Tone::kGood
              : *outcome == RolloutOutcome::kAwaitingHuman ? Tone::kWarn
                                                           : Tone::kBad;
  return Paint(text, tone, Output().color_stdout);
}

nlohmann::json RecordJson(const TypedRecord& r) {
  return {{"seq", r.seq},
          {"state", ToString(r.state())},
          {"at", r.at_unix_ms},
          {"evidence", nlohmann::json::parse(EvidenceJson(r.event))}};
}

// "#3   +1.250s  step 1: ..." (seconds from the rollout's first record).
std::string RecordLine(const TypedRecord& r, int64_t t0_unix_ms) {
  char at[32];
  std::snprintf(at, sizeof at, "%+8.3fs", double(r.at_unix_ms - t0_unix_ms) / 1000.0);
  return Painted(r.state(), "#" + std::to_string(r.seq) + " " + at + "  " + RolloutProgress::Describe(r));
}

// The end of `status ID`: the freeze, if any, and the exit code of where the rollout stands.
int StatusEnd(const RolloutFlags& f, StateDir& state, const std::string& service, RolloutState last,
              const std::string& attention) {
  if (!service.empty()) {
    auto freeze = state.store->FreezeOf(service);
    if (freeze && *freeze) {
      (f.format == "json" ? std::cerr : std::cout)
          << "service " << service << " is FROZEN: " << (*freeze)->reason << "\n";
    }
  }
  if (auto outcome = OutcomeOf(last)) return ExitCodeFor(*outcome);
  return attention == "unattended" ? kExitIndeterminate : kExitOk;
}

// `status ID --watch`: prints records as the journal gains them (one JSON object a line with
// --format json) until the rollout ends, waits for a human or is left unattended; then exits as
// `status ID` would.
int Watch(const RolloutFlags& f, StateDir& state) {
  auto interval = ParseDurationMs(f.interval);
  if (!interval || *interval < 100)
    return Fail("rollout",
                Error::InvalidInput("--interval " + f.interval + ": a duration of at least 100ms, e.g. 2s"));
  int64_t printed = 0;  // the last seq shown
  int unattended = 0;   // reads in a row that found no driver (a starting driver takes its lease
                        // just after the first record)
  for (;;) {
    auto d = Decode(state, f.id);
    if (!d) return Fail("rollout", d.error());
    if (d->journal.empty())
      return Fail("rollout", Error::NotFound("no rollout " + f.id + " in " + state.dir));
    for (const auto& r : d->journal) {
      if (r.seq <= printed) continue;
      if (f.format == "json")
        std::cout << RecordJson(r).dump() << "\n";
      else
        std::cout << RecordLine(r, d->journal.front().at_unix_ms) << "\n";
      printed = r.seq;
    }
    std::cout.flush();
    RolloutState last = d->journal.back().state();
    std::string attention = Attention(state, f.id, last, d->service);
    unattended = attention == "unattended" ? unattended + 1 : 0;
    if (IsTerminal(last) || attention == "awaiting a human" || unattended >= 2) {
      if (f.format != "json") PrintNextSteps(std::cout, attention, f.id, state.dir);
      return StatusEnd(f, state, d->service, last, attention);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(*interval));
  }
}

int ShowRolloutStatus(RolloutFlags& f) {
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state) {
    if (state.error().kind == ErrorKind::kNotFound && f.id.empty()) {
      std::cout << (f.format == "json" ? std::string("[]") : "no rollouts in " + f.state) << "\n";
      return kExitOk;
    }
    return Fail("rollout", state.error());
  }
  if (f.id.empty()) {
    auto all = state->store->Rollouts();
    if (!all) return Fail("rollout", all.error());
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : *all) {
      auto d = Decode(*state, r.rollout_id);
      if (!d) return Fail("rollout", d.error());
      const TypedRecord& last = d->journal.back();
      std::string attention = Attention(*state, r.rollout_id, last.state(), d->service);
      if (f.format == "json") {
        j.push_back({{"rollout", r.rollout_id},
                     {"service", d->service},
                     {"state", ToString(last.state())},
                     {"at", last.at_unix_ms},
                     {"attention", attention}});
        continue;
      }
      std::cout << r.rollout_id << "  " << Painted(last.state(), ToString(last.state())) << "  "
                << RolloutProgress::Describe(last) << (attention.empty() ? "" : "  [" + attention + "]")
                << "\n";
      PrintNextSteps(std::cout, attention, r.rollout_id, state->dir);
    }
    if (f.format == "json")
      std::cout << j.dump(2) << "\n";
    else if (all->empty())
      std::cout << "no rollouts in " << state->dir << "\n";
    return kExitOk;
  }
  if (f.watch) return Watch(f, *state);
  auto d = Decode(*state, f.id);
  if (!d) return Fail("rollout", d.error());
  if (d->journal.empty()) return Fail("rollout", Error::NotFound("no rollout " + f.id + " in " + state->dir));
  const std::vector<TypedRecord>& journal = d->journal;
  RolloutState last = journal.back().state();
  std::string attention = Attention(*state, f.id, last, d->service);
  if (f.format == "json") {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : journal) j.push_back(RecordJson(r));
    std::cout << j.dump(2) << "\n";
  } else {
    for (const auto& r : journal) std::cout << RecordLine(r, journal.front().at_unix_ms) << "\n";
    PrintNextSteps(std::cout, attention, f.id, state->dir);
  }
  return StatusEnd(f, *state, d->service, last, attention);
}

// `rollout list`: every service with its latest rollout, state, driver and freeze.
// The orchestrator's metrics from every journal, in the Prometheus text format: on stdout, or
// written atomically to a textfile for node_exporter's textfile collector.
int Metrics(RolloutFlags& f) {
  std::vector<std::vector<TypedRecord>> journals;
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state && state.error().kind != ErrorKind::kNotFound) return Fail("rollout", state.error());
  if (state) {
    auto all = state->store->Rollouts();
    if (!all) return Fail("rollout", all.error());
    for (const auto& r : *all) {
      auto d = Decode(*state, r.rollout_id);
      if (!d) return Fail("rollout", d.error());
      journals.push_back(std::move(d->journal));
    }
  }
  std::string text = metrics::RolloutMetricsText(ComputeRolloutMetrics(journals));
  if (f.textfile.empty()) {
    std::cout << text;
    return kExitOk;
  }
  if (auto st = WriteAtomically(f.textfile, text); !st) return Fail("rollout", st.error());
  return kExitOk;
}

int List(RolloutFlags& f) {
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state) {
    if (state.error().kind == ErrorKind::kNotFound) {
      std::cout << (f.format == "json" ? std::string("[]") : "no rollouts in " + f.state) << "\n";
      return kExitOk;
    }
    return Fail("rollout", state.error());
  }
  auto all = state->store->Rollouts();  // most recent first
  if (!all) return Fail("rollout", all.error());
  std::map<std::string, std::pair<RolloutSummary, std::string>> latest;  // service -> (rollout, attention)
  std::vector<std::string> order;
  for (const auto& r : *all) {
    auto d = Decode(*state, r.rollout_id);
    if (!d) return Fail("rollout", d.error());
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
      j.push_back({{"service", service},
                   {"rollout", r.rollout_id},
                   {"state", r.last.state},
                   {"driver", driver},
                   {"attention", attention},
                   {"frozen", frozen}});
      continue;
    }
    std::cout << service << "  " << r.rollout_id << "  " << r.last.state
              << (driver.empty() ? "" : "  driven by " + driver)
              << (attention.empty() ? "" : "  [" + attention + "]")
              << (frozen.empty() ? "" : "  FROZEN: " + frozen) << "\n";
  }
  if (f.format == "json")
    std::cout << j.dump(2) << "\n";
  else if (order.empty())
    std::cout << "no rollouts in " << state->dir << "\n";
  return kExitOk;
}

int Unfreeze(RolloutFlags& f) {
  auto state = OpenForWriting(f);
  if (!state) return Fail("rollout", state.error());
  auto freeze = state->store->FreezeOf(f.service);
  if (!freeze) return Fail("rollout", freeze.error());
  if (!*freeze) return Fail("rollout", Error::InvalidInput(f.service + " is not frozen"));
  // The human decision is journaled (and so audited) under the service's own record.
  SystemClock clock;
  std::string record_id = "freeze:" + f.service;
  auto last = state->store->Last(record_id);
  if (!last) return Fail("rollout", last.error());
  auto rec = state->store->Append(
      EncodeRecord(record_id, UnfrozenEvent{f.service, f.by, f.reason, (*freeze)->rollout_id},
                   clock.NowUnixMs()),
      *last ? (*last)->seq : 0);
  if (!rec) return Fail("rollout", rec.error());
  if (auto st = state->audit->Record(*rec); !st) return Fail("rollout", st.error());
  if (auto st = state->store->ClearFreeze(f.service); !st) return Fail("rollout", st.error());
  std::cout << f.service << ": automated rollouts allowed again (cleared by " << f.by << ")\n";
  return kExitOk;
}

void RunFlags(CLI::App* sub, RolloutFlags& f) {
  sub->add_flag_callback(
      "--no-load", [&f] { f.run.load = false; }, "Do not drive the plan's built-in load");
  sub->add_flag("--keep-sessions", f.run.keep_sessions,
                "Leave the built-in load's sessions running at the end");
  sub->add_option("--format", f.run.format, "Report: text or json")->check(CLI::IsMember({"text", "json"}));
}

}  // namespace

Runner SetupRollout(CLI::App& app) {
  auto f = std::make_shared<RolloutFlags>();
  f->run.live = isatty(STDERR_FILENO);
  app.require_subcommand(1);
  app.fallthrough();  // --state and --audit-key before or after the verb
  app.add_option(
         "--state", f->state,
         "State directory: journal, audit log, sessions (default $RINGFENCE_STATE or .ringfence/state)")
      ->capture_default_str();
  app.add_option("--audit-key", f->audit_key,
                 "Key file that authenticates the audit log (HMAC-SHA256), kept outside the state directory "
                 "(default $RINGFENCE_AUDIT_KEY_FILE)");
  auto* start = app.add_subcommand("start", "Start a rollout of PLAN.yaml and drive it to an outcome");
  start->add_option("plan", f->plan_path, "Rollout plan (YAML)")->required();
  start->add_option("--verdict", f->verdict,
                    "The gate's verdict (ringfence check --format json): its rollout constraints apply");
  start->add_option("--image-policy", f->image_policy,
                    "Image policy file (default: .ringfence/images.yaml committed at --policy-rev)");
  start->add_option("--policy-repo", f->policy_repo,
                    "Repository whose committed image policy applies (default: the one holding the plan)");
  start
      ->add_option("--policy-rev", f->policy_rev,
                   "Revision of the plan's repository the image policy is read from")
      ->capture_default_str();
  RunFlags(start, *f);
  auto* status = app.add_subcommand("status", "List rollouts, or show one's journal");
  status->add_option("id", f->id, "Rollout id");
  status->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  status->add_flag(
      "--watch", f->watch,
      "Follow the journal until the rollout ends, waits for a human or is unattended (needs an id)");
  status->add_option("--interval", f->interval, "How often --watch reads the journal")->capture_default_str();
  auto* list = app.add_subcommand("list", "Every service's latest rollout: state, driver, freeze");
  list->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  auto* metrics = app.add_subcommand(
      "metrics",
      "The orchestrator's metrics (Prometheus text format), from every journal in the state directory");
  metrics->add_option("--textfile", f->textfile,
                      "Write them atomically to this file (node_exporter's textfile collector)");
  auto* resume = app.add_subcommand("resume", "Continue a rollout from its journal (after a crash)");
  resume->add_option("id", f->id, "Rollout id")->required();
  RunFlags(resume, *f);
  auto* promote =
      app.add_subcommand("promote", "A human approves the step the rollout waits for, and it continues");
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
  return [f, start, status, list, metrics, resume, promote, abort, unfreeze]() -> int {
    f->policy_named = start->count("--policy-repo") > 0 || start->count("--policy-rev") > 0;
    // These settle in the state directory's own journal; a relative --state is taken as given.
    if (start->parsed()) return Start(*f);
    if (status->parsed()) {
      if (f->watch && f->id.empty())
        return Fail("rollout", Error::InvalidInput("--watch follows one rollout: give its id"));
      return ShowRolloutStatus(*f);
    }
    if (list->parsed()) return List(*f);
    if (metrics->parsed()) return Metrics(*f);
    if (resume->parsed()) return Continue(*f, "resume");
    if (promote->parsed()) return Continue(*f, "promote");
    if (abort->parsed()) return Continue(*f, "abort");
    if (unfreeze->parsed()) return Unfreeze(*f);
    return kExitInvalidInput;
  };
}

}  // namespace ringfence::cli
