#include "cli/rollout_runtime.h"

#include "cli/output_options.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "adapters/common/files.h"
#include "adapters/load/load_generator.h"
#include "adapters/metrics/prometheus_metric_source.h"
#include "adapters/metrics/prometheus_targets.h"
#include "adapters/metrics/session_metric_source.h"
#include "adapters/notify/webhook_notifier.h"
#include "adapters/store/lease_holder.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "engine/core/duration.h"

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

std::string Percent(double part, double whole) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f%%", whole > 0 ? 100.0 * part / whole : 0.0);
  return b;
}

json LoadJson(const LoadReport& r) {
  json j = json::object();
  for (const auto& [version, t] : r.by_version) {
    j[version] = {{"requests", t.requests},
                  {"ok", t.ok},
                  {"errors", t.errors},
                  {"failures", t.failures},
                  {"client_sessions", t.client_sessions},
                  {"clients_hurt", t.clients_hurt}};
  }
  return j;
}

void PrintReport(std::ostream& out, const RolloutSetup& setup, const RolloutPlan& plan,
                 RolloutOutcome outcome, const std::vector<TypedRecord>& journal,
                 const std::optional<LoadReport>& load, const std::string& state_dir,
                 const std::string& format) {
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
    json j = {{"rollout", setup.id},
              {"service", plan.service},
              {"outcome", ToString(outcome)},
              {"exit_code", ExitCodeFor(outcome)},
              {"baseline", setup.baseline.version},
              {"candidate", setup.candidate.version},
              {"judgements_before_decision", looks}};
    if (rollback_at) {
      j["detection_ms"] = rollback_at - canary_start;
      j["rollback_reason"] = reason;
      j["rollback_ms"] = end_at - rollback_at;
    }
    json records = json::array();
    for (const auto& r : journal) {
      records.push_back({{"seq", r.seq},
                         {"state", ToString(r.state())},
                         {"at", r.at_unix_ms},
                         {"evidence", json::parse(EvidenceJson(r.event))}});
    }
    j["journal"] = records;
    if (load) {
      j["load"] = LoadJson(*load);
      j["load_route_failures"] = load->route_failures;  // client requests no session could take
      if (load->route_failures > 0) j["load_last_route_error"] = load->last_route_error;
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
    out << "  rollback decided " << FormatDurationMs(rollback_at - canary_start)
        << " after the canary began (" << looks << (looks == 1 ? " judgement): " : " judgements): ") << reason
        << "\n";
    out << "  " << verified << "\n";
  }
  if (load) {
    for (const auto& [version, t] : load->by_version) {
      out << "  load on " << version << ": " << t.requests << " requests, "
          << Percent(static_cast<double>(t.errors + t.failures), static_cast<double>(t.requests))
          << " failed; " << t.client_sessions << " client sessions, " << t.clients_hurt << " saw an error\n";
    }
    if (load->route_failures > 0) {
      out << "  load: " << load->route_failures
          << " client sessions found no session to serve them (last: " << load->last_route_error << ")\n";
    }
  }
  if (outcome == RolloutOutcome::kAwaitingHuman) {
    out << "  promote: ringfence rollout promote " << setup.id << " --by NAME --state " << state_dir << "\n"
        << "  abort:   ringfence rollout abort " << setup.id << " --by NAME --state " << state_dir << "\n";
  }
  out << "  journal: ringfence rollout status " << setup.id << " --state " << state_dir << "\n";
  out << "  audit:   ringfence audit verify --state " << state_dir << "\n";
}

}  // namespace

void SetJournalDecorator(JournalDecorator decorator) { Decorator() = std::move(decorator); }

JournalView::JournalView(StateStore& store) : store_(store) {
  if (Decorator()) decorated_ = Decorator()(store);
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
      return Error::InvalidInput(it->path().string() +
                                 " in the state directory is a symlink; refusing to use " + dir +
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
           fs::absolute(p, ec).lexically_normal().string().rfind(
               fs::absolute(state_dir, ec).lexically_normal().string() + "/", 0) == 0;
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
    if (!fs::is_directory(dir, ec))
      return Error::NotFound("no state directory at " + dir + " (nothing has run there)");
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

Result<StateDir> OpenStateDirForWriting(const std::string& dir, const std::string& key_file) {
  auto key = LoadAuditKey(key_file, dir);
  if (!key) return key.error();
  return OpenStateDir(dir, false, *key);
}

int ExitCodeFor(RolloutOutcome o) {
  switch (o) {
    case RolloutOutcome::kPromoted:
      return kExitOk;
    case RolloutOutcome::kRolledBack:
      return kExitDenied;
    case RolloutOutcome::kAwaitingHuman:
      return kExitNeedsApproval;
    case RolloutOutcome::kEscalated:
      return kExitEscalated;
    case RolloutOutcome::kNotAdmitted:
      return kExitNotAdmitted;
  }
  return kExitIoError;
}

std::string DriverId() { return store::NewLeaseHolder(); }

RolloutWiring::RolloutWiring(StateDir& state, bool live)
    : journal_(*state.store),
      progress_(std::make_unique<RolloutProgress>(OpenRolloutLog(state.dir),
                                                  Output().quiet ? ProgressDisplay::kSilent
                                                  : live         ? ProgressDisplay::kLiveLine
                                                                 : ProgressDisplay::kLines)),
      world_{*journal_, *state.audit, clock_, backends_, files_, state.dir, WorkloadBinary()} {
  world_.session_metrics = [](SessionBackend& backend, Clock& clock, const Cohorts& cohorts) {
    return std::unique_ptr<MetricSource>(new metrics::SessionMetricSource(backend, clock, cohorts));
  };
  world_.prometheus = [](const RolloutPlan& plan, const Cohorts& cohorts) {
    return std::unique_ptr<MetricSource>(new metrics::PrometheusMetricSource(
        plan.prometheus_url, cohorts, plan.interval_ms, 3000, plan.prometheus_allow_private));
  };
  world_.notifier = [](const RolloutPlan& plan) -> Result<std::unique_ptr<Notifier>> {
    auto secret = notify::LoadWebhookSecret(plan.webhook_secret_file, plan.webhook_secret_env);
    if (!secret) return secret.error();
    return std::unique_ptr<Notifier>(
        new notify::WebhookNotifier({plan.webhook, 3000, plan.webhook_allow_private, *secret}));
  };
  world_.load = [](Router& router, const LoadSpec& spec) {
    return std::unique_ptr<ClientLoad>(new load::LoadGenerator(router, spec, 1));
  };
  world_.publish_sessions = [](const RolloutPlan& plan, const std::vector<SessionInfo>& sessions) {
    std::string path = fs::path(plan.path).parent_path() / plan.prometheus_targets_file;
    (void)metrics::WritePrometheusTargets(path, plan.service, sessions);
  };
  world_.holder_alive = store::LeaseHolderAlive;
  world_.observer = progress_.get();
}

void PrintHandedOver(std::ostream& out, const std::string& id, const std::string& decision,
                     const std::string& holder, const std::string& state_dir) {
  out << "rollout " << id << ": " << decision << " journaled; " << holder
      << " drives the rollout and carries it out (ringfence rollout status " << id << " --state " << state_dir
      << ")\n";
}

int RunRollout(RolloutWiring& wiring, const app::Rollout& rollout, const RunOptions& options) {
  const RolloutSetup& setup = rollout.setup;
  app::RolloutWorld& world = wiring.world();
  auto run = app::DriveRollout(
      world, rollout,
      {options.load, options.keep_sessions, options.holder.empty() ? DriverId() : options.holder});
  if (!run) {
    if (run.error().kind == ErrorKind::kConflict && !options.journaled_decision.empty()) {
      if (auto live = app::LiveDriver(world.store, world.clock.NowUnixMs(), world.holder_alive,
                                      rollout.plan.service, setup.id)) {
        PrintHandedOver(std::cout, setup.id, options.journaled_decision, live->holder, world.state_dir);
        return kExitOk;
      }
    }
    std::string hint = run.error().kind == ErrorKind::kConflict
                           ? "; its journal shows the progress (ringfence rollout status " + setup.id +
                                 " --state " + world.state_dir + ")"
                           : "";
    std::cerr << "ringfence rollout: " << run.error().message << hint << "\n";
    return cli::ExitCodeFor(run.error());
  }
  for (const auto& w : run->warnings) std::cerr << "ringfence rollout: warning: " << w << "\n";
  if (!run->outcome) {
    std::cerr << "ringfence rollout: " << run->outcome.error().message
              << "\n(the journal keeps the rollout where it was: ringfence rollout resume " << setup.id
              << ")\n";
    return cli::ExitCodeFor(run->outcome.error());
  }
  PrintReport(std::cout, setup, rollout.plan, *run->outcome, run->journal, run->load, world.state_dir,
              options.format);
  return ExitCodeFor(*run->outcome);
}

}  // namespace ringfence::cli
