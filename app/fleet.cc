#include "app/fleet.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "app/rollout.h"
#include "app/store_journal.h"
#include "engine/rollout/session_limits.h"

namespace ringfence::app {
namespace fs = std::filesystem;
namespace {

bool Live(const SessionInfo& s) { return s.state != SessionState::kStopped; }

Status AppendFleet(StateStore& store, AuditLog& audit, const FleetEvent& event, int64_t now) {
  auto written = AppendToStoreJournal(store, audit, EncodeFleetRecord(event, now));
  if (!written) return written.error();
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, Revocation>> LoadRevocations(StateStore& store) {
  auto rows = store.Journal(kFleetJournal);
  if (!rows) return rows.error();
  return RevocationsOf(*rows);
}

Result<FleetView> ReadFleet(FleetWorld& world, bool measure) {
  FleetView view;
  auto revocations = LoadRevocations(world.store);
  if (!revocations) return revocations.error();
  view.revocations = std::move(*revocations);
  auto listed = world.store.Rollouts();  // most recent first
  if (!listed) return listed.error();
  std::vector<std::vector<TypedRecord>> journals;
  std::map<std::string, std::string> service_of;
  for (const auto& summary : *listed) {
    auto rows = world.store.Journal(summary.rollout_id);
    if (!rows) return rows.error();
    auto journal = DecodeJournal(*rows);
    if (!journal) return journal.error();
    auto setup = SetupOf(*journal);
    if (!setup) return setup.error();
    auto plan = ParsePlan(setup->plan_text, setup->plan_path, world.backends.Names());
    if (!plan) return plan.error().Wrap("the plan recorded by rollout " + summary.rollout_id);
    service_of[setup->id] = ServiceOf(*setup);
    view.rollouts[setup->id] = {*setup, journal->back().state(),
                                SessionLimitsOf(*plan, setup->admission).max_age_ms};
    if (!view.backends.count(plan->backend)) {
      auto backend = world.backends.Setup(*plan->doc, plan->backend);
      if (!backend) return backend.error().Wrap("the plan recorded by rollout " + summary.rollout_id);
      view.backends[plan->backend] = {
          std::shared_ptr<const BackendSetup>(std::move(*backend)),
          {world.state_dir, fs::path(plan->path).parent_path().string(), world.workload_binary}};
    }
    journals.push_back(std::move(*journal));
  }
  for (const auto& [name, backend] : view.backends) {
    auto held = backend.setup->Inventory(backend.context, measure);
    if (!held) {
      view.inventory.warnings.push_back("backend " + name + ": " + held.error().message);
      continue;
    }
    for (auto& s : held->sessions) {
      s.backend = name;
      view.inventory.sessions.push_back(std::move(s));
    }
    for (auto& t : held->snapshots) {
      t.backend = name;
      view.inventory.snapshots.push_back(std::move(t));
    }
  }
  view.current = CurrentImages(journals);
  AttributeSessions(view.inventory, service_of);
  std::sort(view.inventory.sessions.begin(), view.inventory.sessions.end(), [](const auto& a, const auto& b) {
    return std::tie(a.service, a.session.version, a.backend, a.session.id) <
           std::tie(b.service, b.session.version, b.backend, b.session.id);
  });
  // A record written before backends recorded digests: the rollout that launched the session
  // knows the digest of the version it launched.
  for (auto& s : view.inventory.sessions) {
    auto it = view.rollouts.find(s.rollout_id);
    if (!s.session.image_digest.empty() || it == view.rollouts.end()) continue;
    const RolloutSetup& setup = it->second.setup;
    if (s.session.version == setup.candidate.version) s.session.image_digest = setup.candidate.digest;
    if (s.session.version == setup.baseline.version) s.session.image_digest = setup.baseline.digest;
  }
  return view;
}

DriftPolicy PolicyOf(const FleetView& view, DriftPolicy policy) {
  for (const auto& [id, rollout] : view.rollouts) {
    if (rollout.max_session_age_ms > 0) policy.max_session_age_by_rollout[id] = rollout.max_session_age_ms;
  }
  return policy;
}

Result<RevocationReport> RevokeImage(
    FleetWorld& world, AuditLog& audit, const std::string& digest, const std::string& reason,
    const std::string& by, const std::function<bool(const std::string& holder)>& holder_alive,
    const std::function<Status(const std::string& rollout_id)>& drive_unattended) {
  if (!ValidImageDigest(digest))
    return Error::InvalidInput("an image digest is sha256: and 64 lowercase hex digits, not '" + digest +
                               "'");
  if (reason.empty()) return Error::InvalidInput("a revocation needs --reason");
  if (by.empty()) return Error::InvalidInput("a revocation needs --by (who revokes)");
  const int64_t began = world.clock.NowUnixMs();
  RevocationReport report;
  report.digest = digest;

  // A revoking process killed right after journaling left its record unaudited: audited now,
  // even when this revocation appends nothing.
  if (auto st = AuditPending(world.store, audit, kFleetJournal); !st) return st.error();
  auto rows = world.store.Journal(kFleetJournal);
  if (!rows) return rows.error();
  auto revocations = RevocationsOf(*rows);
  if (!revocations) return revocations.error();
  if (!revocations->count(digest)) {
    if (auto st = AppendFleet(world.store, audit, ImageRevokedEvent{digest, reason, by}, began); !st)
      return st.error();
    report.newly_revoked = true;
  }

  auto view = ReadFleet(world, /*measure=*/false);
  if (!view) return view.error();
  // Rollouts first, so that no driver goes on starting sessions of the image (the revocation
  // guard of a live driver refuses them meanwhile).
  for (const auto& [id, r] : view->rollouts) {
    if (IsTerminal(r.state)) continue;
    if (r.setup.baseline.digest != digest && r.setup.candidate.digest != digest) continue;
    if (r.state != RolloutState::kRollback && r.state != RolloutState::kRollbackSessions &&
        r.state != RolloutState::kVerifying) {
      auto aborted = AbortRollout(world.store, audit, id, by, "image " + digest + " revoked: " + reason,
                                  world.clock.NowUnixMs());
      if (!aborted && aborted.error().kind != ErrorKind::kConflict) return aborted.error();
      if (aborted) report.rollouts_aborted.push_back(id);
    }
    if (!LiveDriver(world.store, world.clock.NowUnixMs(), holder_alive, ServiceOf(r.setup), id)) {
      if (auto st = drive_unattended(id); !st) {
        report.failures.push_back("rollout " + id + ": " + st.error().message);
      } else {
        report.rollouts_driven.push_back(id);
      }
    }
  }

  // Then every session and stored machine state of the image, whichever rollout made it.
  if (auto again = ReadFleet(world, false)) view = std::move(again);
  std::map<std::string, Result<std::unique_ptr<SessionBackend>>> made;  // one instance per backend
  for (const auto& s : view->inventory.sessions) {
    if (!Live(s.session) || s.session.image_digest != digest) continue;
    auto it = made.find(s.backend);
    if (it == made.end()) {
      const FleetBackend& backend = view->backends.at(s.backend);
      it = made.emplace(s.backend, backend.setup->Make(backend.context)).first;
    }
    Status ended = it->second ? (*it->second)->Terminate(s.session.id) : Status(it->second.error());
    if (ended) {
      ++report.sessions_ended;
    } else {
      report.failures.push_back(s.backend + " session " + s.session.id + ": " + ended.error().message);
    }
  }
  for (const auto& t : view->inventory.snapshots) {
    if (t.image_digest != digest) continue;
    const FleetBackend& backend = view->backends.at(t.backend);
    if (auto st = backend.setup->DeleteSnapshot(backend.context, t); st) {
      ++report.snapshots_deleted;
    } else {
      report.failures.push_back(t.backend + " " + t.kind + " " + t.path + ": " + st.error().message);
    }
  }

  // Verified by reading the fleet again: the completion is journaled only when nothing is left.
  auto after = ReadFleet(world, false);
  if (!after) return after.error();
  for (const auto& s : after->inventory.sessions) {
    if (Live(s.session) && s.session.image_digest == digest)
      report.failures.push_back(s.backend + " session " + s.session.id + " is still " +
                                ToString(s.session.state));
  }
  for (const auto& t : after->inventory.snapshots) {
    if (t.image_digest == digest)
      report.failures.push_back(t.backend + " " + t.kind + " " + t.path + " remains");
  }
  for (const auto& [id, r] : after->rollouts) {
    if (!IsTerminal(r.state) && (r.setup.baseline.digest == digest || r.setup.candidate.digest == digest) &&
        !LiveDriver(world.store, world.clock.NowUnixMs(), holder_alive, ServiceOf(r.setup), id))
      report.failures.push_back("rollout " + id + " is unfinished and has no driver");
  }
  report.elapsed_ms = world.clock.NowUnixMs() - began;
  if (!report.failures.empty()) return report;
  auto current = LoadRevocations(world.store);
  if (!current) return current.error();
  bool was_completed = current->count(digest) && current->at(digest).completed;
  if (!was_completed || report.sessions_ended > 0 || report.snapshots_deleted > 0) {
    RevocationCompletedEvent done{digest, report.sessions_ended, report.snapshots_deleted,
                                  report.rollouts_aborted};
    if (auto st = AppendFleet(world.store, audit, done, world.clock.NowUnixMs()); !st) return st.error();
  }
  report.completed = true;
  return report;
}

}  // namespace ringfence::app
