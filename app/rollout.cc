#include "app/rollout.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "app/fleet.h"
#include "engine/core/redact.h"
#include "engine/fleet/revocation_guard.h"
#include "engine/rollout/locked_backend.h"
#include "engine/rules/constraints_json.h"

namespace ringfence::app {
namespace fs = std::filesystem;
namespace {

// Holds the service's lease while this process drives the rollout, renewing it on a thread of its
// own; releases it at the end. If a renewal finds another holder (this process stalled past the
// lease), Lost() says so and the orchestrator stops at its next journal append.
class DriverLease {
 public:
  DriverLease(StateStore& store, Clock& clock, std::string service, std::string rollout, std::string holder)
      : store_(store),
        clock_(clock),
        service_(std::move(service)),
        rollout_(std::move(rollout)),
        holder_(std::move(holder)) {}
  ~DriverLease() {
    stop_ = true;
    if (beat_.joinable()) beat_.join();
    (void)store_.ReleaseLease(service_, holder_);
  }
  Status Take() {
    int64_t now = clock_.NowUnixMs();
    if (auto st = store_.TakeLease({service_, rollout_, holder_, now + kLeaseTtlMs}, now); !st) return st;
    beat_ = std::thread([this] {
      while (!stop_) {
        for (int64_t waited = 0; waited < kLeaseHeartbeatMs && !stop_; waited += 50) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (stop_) break;
        int64_t t = clock_.NowUnixMs();
        if (auto st = store_.TakeLease({service_, rollout_, holder_, t + kLeaseTtlMs}, t); !st) {
          std::lock_guard<std::mutex> lock(mu_);
          if (st.error().kind == ErrorKind::kConflict) lost_ = st.error().message;
        }
      }
    });
    return Status::Ok();
  }
  Status Lost() const {
    std::lock_guard<std::mutex> lock(mu_);
    if (lost_.empty()) return Status::Ok();
    return Error::Conflict("this process lost the lease on " + service_ + ": " + lost_);
  }

 private:
  StateStore& store_;
  Clock& clock_;
  std::string service_, rollout_, holder_;
  std::atomic<bool> stop_{false};
  std::thread beat_;
  mutable std::mutex mu_;
  std::string lost_;
};

Result<RolloutPlan> ParsePlanFor(const RolloutWorld& world, const std::string& text,
                                 const std::string& path) {
  auto plan = ParsePlan(text, path, world.backends.Names());
  if (!plan) return plan.error();
  auto setup = world.backends.Setup(*plan->doc, plan->backend);
  if (!setup) return setup.error();
  return plan;
}

}  // namespace

BackendContext ContextOf(const RolloutWorld& world, const RolloutPlan& plan) {
  return {world.state_dir, fs::path(plan.path).parent_path().string(), world.workload_binary};
}

Result<Rollout> StartRolloutFromPlan(RolloutWorld& world, const std::string& plan_path,
                                     const std::string& verdict_path,
                                     const std::function<std::string(const std::string& service)>& new_id,
                                     const std::string& holder) {
  auto text = world.files.Read(plan_path);
  if (!text) return text.error();
  auto plan = ParsePlanFor(world, *text, plan_path);
  if (!plan) return plan.error();
  auto backend_setup = world.backends.Setup(*plan->doc, plan->backend);
  if (!backend_setup) return backend_setup.error();
  if (!plan->webhook.empty() && world.notifier) {  // a new rollout starts only with a working notifier
    if (auto notifier = world.notifier(*plan); !notifier) return notifier.error();
  }
  Rollout r;
  RolloutSetup& setup = r.setup;
  if (!verdict_path.empty()) {
    auto verdict = world.files.Read(verdict_path);
    if (!verdict) return verdict.error();
    auto c = ConstraintsFromVerdict(*verdict, verdict_path);
    if (!c) return c.error();
    setup.gate_constraints = *c;
    ApplyConstraints(*plan, *c);
  }
  setup.id = new_id(plan->service);
  setup.plan_path = plan_path;
  setup.plan_text = RedactSecrets(*text);  // no URL credential reaches the journal or the audit log
  BackendContext context = ContextOf(world, *plan);
  for (auto [image, into] :
       {std::pair{&plan->baseline_image, &setup.baseline}, {&plan->candidate_image, &setup.candidate}}) {
    auto ref = (*backend_setup)->Image(context, *image);
    if (!ref) return ref.error();
    *into = *ref;
  }
  if (setup.baseline.version == setup.candidate.version) {
    return Error::InvalidInput(plan_path + ": baseline and candidate are both version " +
                               setup.baseline.version);
  }
  if (world.admit) {  // before any session: a refused candidate starts nothing
    auto decision = world.admit(setup.baseline, setup.candidate);
    if (!decision) return decision.error();
    setup.admission = *decision;
  }
  // Nothing starts on a revoked image, whatever the image policy says.
  auto revocations = LoadRevocations(world.store);
  if (!revocations) return revocations.error();
  for (const ImageRef* image : {&setup.candidate, &setup.baseline}) {
    auto revoked = revocations->find(image->digest);
    if (revoked == revocations->end()) continue;
    if (!setup.admission) {
      setup.admission =
          AdmissionDecision{"the fleet journal's revocations",
                            "",
                            "",
                            {"candidate", setup.candidate.version, setup.candidate.digest, true, {}, 0, 0},
                            {"baseline", setup.baseline.version, setup.baseline.digest, true, {}, 0, 0}};
    }
    const bool is_candidate = image == &setup.candidate;
    std::string why = "revoked by " + revoked->second.by + ": " + revoked->second.reason;
    ImageAdmission& own = is_candidate ? setup.admission->candidate : setup.admission->baseline;
    own.admitted = false;
    own.reasons.push_back(why);
    if (!is_candidate) {
      setup.admission->candidate.admitted = false;
      setup.admission->candidate.reasons.push_back("its baseline " + image->version + " is " + why +
                                                   " (a rollback could not return to it)");
    }
  }
  if (setup.admission && !setup.admission->admitted()) {
    setup.service = plan->service;
    auto refused = RecordNotAdmitted(world.store, world.audit, setup, world.clock.NowUnixMs());
    if (!refused) return refused.error();
    r.plan = std::move(*plan);
    r.admitted = false;
    return r;
  }
  auto backend = (*backend_setup)->Make(context);
  if (!backend) return backend.error();
  Capabilities caps = (*backend)->capabilities();
  backend->reset();
  auto started = StartRollout(world.store, world.audit, setup, *plan, caps, world.clock.NowUnixMs(), holder);
  if (!started) return started.error();
  setup.service = plan->service;
  r.plan = std::move(*plan);
  return r;
}

Result<Rollout> LoadRollout(RolloutWorld& world, const std::string& id, std::string* note) {
  auto rows = world.store.Journal(id);
  if (!rows) return rows.error();
  if (rows->empty()) {
    return Error::NotFound("no rollout " + id + " in " + world.state_dir +
                           " (ringfence rollout status lists them)");
  }
  auto journal = DecodeJournal(*rows);
  if (!journal) return journal.error();
  auto setup = SetupOf(*journal);
  if (!setup) return setup.error();
  auto plan = ParsePlanFor(world, setup->plan_text, setup->plan_path);
  if (!plan) return plan.error().Wrap("the plan recorded at the start");
  // The journal holds the plan with its URLs' secrets redacted; the plan file, if it is still the
  // plan the rollout started with, gives them back.
  if (setup->plan_text.find(kRedacted) != std::string::npos) {
    auto file = world.files.Read(setup->plan_path);
    if (file && RedactSecrets(*file) == setup->plan_text) {
      if (auto full = ParsePlanFor(world, *file, setup->plan_path)) plan = std::move(full);
    } else if (note) {
      *note = "the plan's URL credentials were redacted from the journal and " + setup->plan_path +
              " is no longer that plan: notifications and Prometheus queries that need them will fail";
    }
  }
  ApplyConstraints(*plan, setup->gate_constraints);
  return Rollout{std::move(*setup), std::move(*plan)};
}

Result<RolloutRun> DriveRollout(RolloutWorld& world, const Rollout& rollout, const DriveOptions& options) {
  const RolloutSetup& setup = rollout.setup;
  const RolloutPlan& plan = rollout.plan;
  DriverLease lease(world.store, world.clock, plan.service, setup.id, options.holder);
  if (auto st = lease.Take(); !st) return st.error();
  auto backend_setup = world.backends.Setup(*plan.doc, plan.backend);
  if (!backend_setup) return backend_setup.error();
  auto chosen = (*backend_setup)->Make(ContextOf(world, plan));
  if (!chosen) return chosen.error();
  RevocationGuard guarded(**chosen, world.store);  // a revocation journaled meanwhile takes effect
  LockedBackend backend(guarded);
  Router router(backend, world.clock, setup.id);
  Cohorts cohorts{setup.baseline.version, setup.candidate.version};
  auto sessions = world.session_metrics(backend, world.clock, cohorts);
  std::unique_ptr<MetricSource> prometheus;
  if (!plan.prometheus_url.empty() && world.prometheus) prometheus = world.prometheus(plan, cohorts);
  // A rollout already under way goes on without notifications rather than wait for them.
  std::unique_ptr<Notifier> notifier;
  std::string notifier_warning;
  if (!plan.webhook.empty() && world.notifier) {
    auto made = world.notifier(plan);
    if (made)
      notifier = std::move(*made);
    else
      notifier_warning = "notifications are off for this run: " + made.error().message;
  }
  Orchestrator orchestrator(
      {backend, router, *sessions, prometheus.get(), world.store, world.audit, world.clock, notifier.get(),
       world.observer, world.state_dir + "/snapshots", [&lease] { return lease.Lost(); }},
      setup, plan);

  std::unique_ptr<ClientLoad> load;
  if (options.load && plan.load.clients > 0 && world.load) {
    orchestrator.Prepare();  // clients need the images (and a resumed run's sessions) first
    load = world.load(router, plan.load);
    load->Start();
  }
  std::atomic<bool> done{false};
  std::thread publisher;
  if (world.publish_sessions && !plan.prometheus_targets_file.empty()) {
    publisher = std::thread([&] {
      while (!done) {
        if (auto listed = backend.List(); listed) world.publish_sessions(plan, *listed);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  RolloutRun run;
  if (!notifier_warning.empty()) run.warnings.push_back(notifier_warning);
  run.outcome = orchestrator.Run();
  done = true;
  if (publisher.joinable()) publisher.join();
  if (load) {
    load->Stop();
    run.load = load->Report();
    if (!options.keep_sessions) (void)router.TerminateAll();  // the built-in load's clients are gone
  }
  if (auto rows = world.store.Journal(setup.id)) {
    if (auto journal = DecodeJournal(*rows)) run.journal = std::move(*journal);
  }
  return run;
}

std::optional<Lease> LiveDriver(StateStore& store, int64_t now,
                                const std::function<bool(const std::string&)>& holder_alive,
                                const std::string& service, const std::string& id) {
  auto lease = store.LeaseOf(service);
  if (!lease || !*lease) return std::nullopt;
  if ((*lease)->rollout_id != id || (*lease)->expires_unix_ms <= now) return std::nullopt;
  if (holder_alive && !holder_alive((*lease)->holder)) return std::nullopt;  // killed: its lease is free
  return **lease;
}

}  // namespace ringfence::app
