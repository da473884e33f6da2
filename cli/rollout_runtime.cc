#include "cli/rollout_runtime.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <mutex>
#include <random>
#include <thread>

#include "adapters/backends/backend_registry.h"
#include "adapters/common/files.h"
#include "adapters/common/system_clock.h"
#include "adapters/metrics/prometheus_metric_source.h"
#include "adapters/store/lease_holder.h"
#include "adapters/metrics/prometheus_targets.h"
#include "adapters/metrics/session_metric_source.h"
#include "adapters/notify/webhook_notifier.h"
#include "cli/exit_codes.h"
#include "cli/rollout_progress.h"
#include "engine/core/duration.h"
#include "engine/rollout/locked_backend.h"

namespace ringfence::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

JournalDecorator& Decorator() {
  static JournalDecorator decorator;
  return decorator;
}

std::string WorkloadBinary() {
  if (const char* env = std::getenv("RINGFENCE_WORKLOAD")) return env;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (self.parent_path() / "ringfence-workload").string();
}

// Holds the service's lease while this process drives the rollout, renewing it on a thread of
// its own; releases it at the end. If a renewal finds another holder (this process stalled past
// the lease), `Lost()` says so and the orchestrator stops at its next journal append.
class DriverLease {
 public:
  DriverLease(StateStore& store, std::string service, std::string rollout, std::string holder)
      : store_(store), service_(std::move(service)), rollout_(std::move(rollout)), holder_(std::move(holder)) {}
  ~DriverLease() {
    stop_ = true;
    if (beat_.joinable()) beat_.join();
    (void)store_.ReleaseLease(service_, holder_);
  }
  Status Take() {
    SystemClock clock;
    int64_t now = clock.NowUnixMs();
    if (auto st = store_.TakeLease({service_, rollout_, holder_, now + kLeaseTtlMs}, now); !st) return st;
    beat_ = std::thread([this] {
      SystemClock c;
      while (!stop_) {
        for (int64_t waited = 0; waited < kLeaseHeartbeatMs && !stop_; waited += 50) {
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        if (stop_) break;
        int64_t t = c.NowUnixMs();
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
  std::string service_, rollout_, holder_;
  std::atomic<bool> stop_{false};
  std::thread beat_;
  mutable std::mutex mu_;
  std::string lost_;
};

std::string Percent(double part, double whole) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return b;
}

json LoadJson(const load::LoadReport& r) {
  json j = json::object();
  for (const auto& [version, t] : r.by_version) {
    j[version] = {{"requests", t.requests}, {"ok", t.ok}, {"errors", t.errors}, {"failures", t.failures},
                  {"client_sessions", t.client_sessions}, {"clients_hurt", t.clients_hurt}};
  }
  return j;
}

void PrintReport(std::ostream& out, const RolloutSetup& setup, const RolloutPlan& plan, RolloutOutcome outcome,
                 const std::vector<TypedRecord>& journal, const std::optional<load::LoadReport>& load,
                 const std::string& state_dir, const std::string& format) {
  int64_t canary_start = 0, rollback_at = 0, end_at = journal.empty() ? 0 : journal.back().at_unix_ms;
  int looks = 0;
  std::string reason, verified;
  for (const auto& r : journal) {
    if (r.state() == RolloutState::kStep && canary_start == 0) canary_start = r.at_unix_ms;
    if (r.state() == RolloutState::kJudged && rollback_at == 0) ++looks;
    if (const auto* rollback = std::get_if<RollbackEvent>(&r.event); rollback && rollback_at == 0) {
      rollback_at = r.at_unix_ms;
      reason = rollback->reason;
    }
    if (r.state() == RolloutState::kRolledBack || r.state() == RolloutState::kEscalated) {
      verified = RolloutProgress::Describe(r);
    }
  }
  if (format == "json") {
    json j = {{"rollout", setup.id}, {"service", plan.service}, {"outcome", ToString(outcome)},
              {"exit_code", ExitCodeFor(outcome)}, {"baseline", setup.baseline.version},
              {"candidate", setup.candidate.version}, {"judgements_before_decision", looks}};
    if (rollback_at) {
      j["detection_ms"] = rollback_at - canary_start;
      j["rollback_reason"] = reason;
      j["rollback_ms"] = end_at - rollback_at;
    }
    json records = json::array();
    for (const auto& r : journal) {
      records.push_back({{"seq", r.seq}, {"state", ToString(r.state())}, {"at", r.at_unix_ms},
                         {"evidence", json::parse(EvidenceJson(r.event))}});
    }
    j["journal"] = records;
    if (load) {
      j["load"] = LoadJson(*load);
      j["load_route_failures"] = load->route_failures;  // client requests no session could take
    }
    out << j.dump(2) << "\n";
    return;
  }
  std::string upper = ToString(outcome);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out << "\nrollout " << setup.id << ": " << upper << "\n";
  out << "  " << plan.service << ": candidate " << setup.candidate.version << " against baseline "
      << setup.baseline.version << " on " << plan.backend << " sessions\n";
  if (rollback_at) {
    out << "  rollback decided " << FormatDurationMs(rollback_at - canary_start) << " after the canary began ("
        << looks << (looks == 1 ? " judgement): " : " judgements): ") << reason << "\n";
    out << "  " << verified << "\n";
  }
  if (load) {
    for (const auto& [version, t] : load->by_version) {
      out << "  load on " << version << ": " << t.requests << " requests, " << Percent(static_cast<double>(t.errors + t.failures), static_cast<double>(t.requests))
          << " failed; " << t.client_sessions << " client sessions, " << t.clients_hurt << " saw an error\n";
    }
    if (load->route_failures > 0) {
      out << "  load: " << load->route_failures << " client sessions found no session to serve them (last: "
          << load->last_route_error << ")\n";
    }
  }
  out << "  journal: ringfence rollout status " << setup.id << " --state " << state_dir << "\n";
  out << "  audit:   ringfence audit verify --state " << state_dir << "\n";
}

}  // namespace

void SetJournalDecorator(JournalDecorator decorator) { Decorator() = std::move(decorator); }

JournalView::JournalView(StateStore& store) : store_(store) {
  if (Decorator()) decorated_ = Decorator()(store);
}

backends::BackendContext BackendContextOf(const RolloutPlan& plan, const std::string& state_dir) {
  return {state_dir, fs::path(plan.path).parent_path().string(), WorkloadBinary()};
}

Result<std::unique_ptr<SessionBackend>> MakeBackend(const RolloutPlan& plan, const std::string& state_dir) {
  auto setup = backends::SetupBackend(plan);
  if (!setup) return setup.error();
  return (*setup)->Make(BackendContextOf(plan, state_dir));
}

std::string DefaultStateDir() {
  if (const char* env = std::getenv("RINGFENCE_STATE")) return env;
  return ".ringfence/state";
}

namespace {

// A symlink anywhere in the state directory is an error: its files are opened by name, and a
// planted link would redirect a write (or a read) elsewhere.
Status RefuseSymlinks(const std::string& dir) {
  std::error_code ec;
  if (fs::is_symlink(dir, ec)) return Error::InvalidInput("the state directory " + dir + " is a symlink");
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_symlink(ec)) {
      return Error::InvalidInput(it->path().string() + " in the state directory is a symlink; refusing to use " + dir +
                                 " (remove the link)");
    }
  }
  if (ec) return Error::Io("cannot read the state directory " + dir + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

Result<std::string> LoadAuditKey(const std::string& key_file, const std::string& state_dir) {
  std::string path = key_file;
  if (path.empty()) {
    if (const char* env = std::getenv("RINGFENCE_AUDIT_KEY_FILE")) path = env;
  }
  if (path.empty()) return std::string();
  std::error_code ec;
  auto inside = [&](const fs::path& p) {
    std::string root = fs::weakly_canonical(state_dir, ec).string() + "/";
    return fs::weakly_canonical(p, ec).string().rfind(root, 0) == 0 ||
           fs::absolute(p, ec).lexically_normal().string().rfind(fs::absolute(state_dir, ec).lexically_normal().string() + "/", 0) == 0;
  };
  if (inside(path)) {
    return Error::InvalidInput("the audit key " + path + " is inside the state directory " + state_dir +
                               ": keep it where the state directory's writers cannot read it");
  }
  auto key = ReadFileNoFollow(path);
  if (!key) return key.error().Wrap("the audit key");
  while (!key->empty() && (key->back() == '\n' || key->back() == '\r' || key->back() == ' ')) key->pop_back();
  if (key->size() < 16) return Error::InvalidInput("the audit key " + path + " has fewer than 16 bytes");
  return *key;
}

Result<StateDir> OpenStateDir(const std::string& dir, bool read_only, const std::string& audit_key) {
  std::error_code ec;
  if (read_only) {
    if (!fs::is_directory(dir, ec)) return Error::NotFound("no state directory at " + dir + " (nothing has run there)");
  } else {
    for (const char* sub : {"", "/logs", "/sessions", "/snapshots"}) {
      fs::create_directories(dir + sub, ec);
      if (ec) return Error::Io("cannot create the state directory " + dir + sub + ": " + ec.message());
      // Owner only, whatever the umask: the journal, the audit log and session records live here.
      fs::permissions(dir + sub, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
  }
  if (auto st = RefuseSymlinks(dir); !st) return st.error();
  StateDir s;
  s.dir = dir;
  auto st = store::SqliteStateStore::Open(dir + "/journal.db", read_only);
  if (!st) return st.error();
  s.store = std::move(*st);
  if (!read_only) {
    auto audit = store::AuditFile::Open(s.audit_path(), audit_key);
    if (!audit) return audit.error();
    s.audit = std::move(*audit);
  }
  return s;
}

int ExitCodeFor(RolloutOutcome o) {
  switch (o) {
    case RolloutOutcome::kPromoted: return kExitOk;
    case RolloutOutcome::kRolledBack: return kExitDenied;
    case RolloutOutcome::kAwaitingHuman: return kExitNeedsApproval;
    case RolloutOutcome::kEscalated: return kExitEscalated;
  }
  return kExitIoError;
}

std::string DriverId() { return store::NewLeaseHolder(); }

int RunRollout(StateDir& state, const RolloutSetup& setup, const RolloutPlan& plan, const RunOptions& options) {
  std::string holder = options.holder.empty() ? DriverId() : options.holder;
  DriverLease lease(*state.store, plan.service, setup.id, holder);
  if (auto st = lease.Take(); !st) {
    std::cerr << "ringfence rollout: " << st.error().message << "; its journal shows the progress (ringfence rollout "
              << "status " << setup.id << " --state " << state.dir << ")\n";
    return cli::ExitCodeFor(st.error());
  }
  auto chosen = MakeBackend(plan, state.dir);
  if (!chosen) {
    std::cerr << "ringfence rollout: " << chosen.error().message << "\n";
    return cli::ExitCodeFor(chosen.error());
  }
  auto log = OpenRolloutLog(state.dir);
  RolloutProgress progress(log, options.live);
  LockedBackend backend(**chosen);
  SystemClock clock;
  Router router(backend, clock, setup.id);
  metrics::SessionMetricSource sessions(backend, clock, {setup.baseline.version, setup.candidate.version});
  std::unique_ptr<metrics::PrometheusMetricSource> prometheus;
  if (!plan.prometheus_url.empty()) {
    prometheus = std::make_unique<metrics::PrometheusMetricSource>(
        plan.prometheus_url, Cohorts{setup.baseline.version, setup.candidate.version}, plan.interval_ms, 3000,
        plan.prometheus_allow_private);
  }
  std::unique_ptr<notify::WebhookNotifier> notifier;
  if (!plan.webhook.empty()) {
    notifier = std::make_unique<notify::WebhookNotifier>(plan.webhook, 3000, plan.webhook_allow_private);
  }
  JournalView store(*state.store);
  Orchestrator orchestrator({backend, router, sessions, prometheus.get(), *store, *state.audit, clock, notifier.get(),
                             &progress, state.dir + "/snapshots", [&lease] { return lease.Lost(); }},
                            setup, plan);

  bool drive_load = options.load && plan.load.clients > 0;
  std::optional<load::LoadGenerator> load;
  if (drive_load) {
    orchestrator.Prepare();  // clients need the images (and a resumed run's sessions) first
    load.emplace(router, plan.load, 1);
    load->Start();
  }
  // Prometheus finds the sessions through a file_sd targets file kept current while the run lasts.
  std::atomic<bool> done{false};
  std::thread targets;
  if (!plan.prometheus_targets_file.empty()) {
    std::string path = fs::path(plan.path).parent_path() / plan.prometheus_targets_file;
    targets = std::thread([&, path] {
      while (!done) {
        if (auto listed = backend.List(); listed) (void)metrics::WritePrometheusTargets(path, plan.service, *listed);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  auto outcome = orchestrator.Run();
  done = true;
  if (targets.joinable()) targets.join();
  std::optional<load::LoadReport> report;
  if (load) {
    load->Stop();
    report = load->Report();
    if (!options.keep_sessions) (void)router.TerminateAll();  // the built-in load's clients are gone
  }
  if (!outcome) {
    std::cerr << "ringfence rollout: " << outcome.error().message << "\n(the journal keeps the rollout where it was: "
              << "ringfence rollout resume " << setup.id << ")\n";
    return cli::ExitCodeFor(outcome.error());
  }
  auto rows = state.store->Journal(setup.id);
  auto journal = rows ? DecodeJournal(*rows) : Result<std::vector<TypedRecord>>(rows.error());
  PrintReport(std::cout, setup, plan, *outcome, journal ? *journal : std::vector<TypedRecord>{}, report, state.dir,
              options.format);
  return ExitCodeFor(*outcome);
}

}  // namespace ringfence::cli
