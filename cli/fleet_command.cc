// `ringfence fleet list|status|drift`: the sessions and snapshots every backend of the state
// directory holds, read without a rollout running and without changing anything; `drift` exits 10
// when drift exceeds the policy (for a scheduled job to alert on). And `ringfence image revoke`.
#include "cli/fleet_command.h"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "adapters/backends/backend_registry.h"
#include "adapters/backends/session_registry.h"
#include "adapters/common/system_clock.h"
#include "adapters/metrics/fleet_metrics_exposition.h"
#include "app/fleet.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"
#include "cli/rollout_runtime.h"
#include "engine/core/ansi_style.h"
#include "engine/core/duration.h"

namespace ringfence::cli {
namespace {
using nlohmann::json;

struct FleetFlags {
  std::string state = DefaultStateDir();
  std::string service, format = "text", max_age;
  int64_t max_drifted = 0;
};

std::string Short(const std::string& digest) {
  return digest.size() > 19 ? digest.substr(0, 19) : digest.empty() ? "-" : digest;
}

std::string Age(int64_t now, int64_t then) { return then > 0 ? FormatDurationMs(now - then) : "-"; }

json SessionJson(const FleetSession& s) {
  json j = backends::SessionFields(s.session);  // the fields a backend's record holds, under the same names
  j.update({{"backend", s.backend}, {"service", s.service}, {"rollout", s.rollout_id}, {"client", s.client}});
  if (s.measurement) {
    j["measurement"] = {{"executable", s.measurement->executable},
                        {"image", s.measurement->image},
                        {"image_error", s.measurement->image_error},
                        {"measured_at", s.measurement->measured_at}};
  } else {
    j["measurement"] = nullptr;
    j["measurement_error"] = s.measurement_error;
  }
  return j;
}

json SnapshotJson(const StoredSnapshot& t) {
  return {{"backend", t.backend},
          {"kind", t.kind},
          {"path", t.path},
          {"version", t.version},
          {"image_digest", t.image_digest}};
}

// The fleet, --service applied (snapshots belong to no service: kept only without it).
Result<app::FleetView> Read(const FleetFlags& f) {
  auto state = OpenStateDir(f.state, /*read_only=*/true);
  if (!state) {
    if (state.error().kind != ErrorKind::kNotFound) return state.error();
    return app::FleetView{};  // no state directory: an empty fleet, nothing created
  }
  SystemClock clock;
  backends::BackendRegistry registry;
  app::FleetWorld world{*state->store, registry, clock, f.state, ""};
  auto view = app::ReadFleet(world);
  if (!view || f.service.empty()) return view;
  std::erase_if(view->inventory.sessions, [&](const FleetSession& s) { return s.service != f.service; });
  view->inventory.snapshots.clear();
  return view;
}

int List(const FleetFlags& f) {
  auto view = Read(f);
  if (!view) return Fail("fleet", view.error());
  const FleetInventory& fleet = view->inventory;
  for (const auto& w : fleet.warnings) std::cerr << "ringfence fleet: warning: " << w << "\n";
  if (f.format == "json") {
    json out = {{"sessions", json::array()}, {"snapshots", json::array()}, {"warnings", fleet.warnings}};
    for (const auto& s : fleet.sessions) out["sessions"].push_back(SessionJson(s));
    for (const auto& t : fleet.snapshots) out["snapshots"].push_back(SnapshotJson(t));
    std::cout << out.dump(2) << "\n";
    return fleet.warnings.empty() ? kExitOk : kExitIndeterminate;
  }
  const int64_t now = SystemClock().NowUnixMs();
  std::printf("%-10s %-44s %-10s %-8s %-8s %-19s %-8s %-8s %s\n", "BACKEND", "SESSION", "SERVICE", "VERSION",
              "STATE", "IMAGE", "ORIGIN", "AGE", "MEASURED");
  for (const auto& s : fleet.sessions) {
    const SessionInfo& i = s.session;
    std::string measured = s.measurement
                               ? Short(s.measurement->executable) + " (" + s.measurement->measured_at + ")"
                               : s.measurement_error;
    std::printf("%-10s %-44s %-10s %-8s %-8s %-19s %-8s %-8s %s\n", s.backend.c_str(), i.id.c_str(),
                s.service.empty() ? "-" : s.service.c_str(), i.version.c_str(), ToString(i.state),
                Short(i.image_digest).c_str(), i.origin.empty() ? "-" : i.origin.c_str(),
                Age(now, i.started_unix_ms).c_str(), measured.c_str());
  }
  for (const auto& t : fleet.snapshots)
    std::printf("%-10s %-44s %-10s %-8s %-8s %-19s %s\n", t.backend.c_str(), t.path.c_str(), "-",
                t.version.c_str(), t.kind.c_str(), Short(t.image_digest).c_str(), "(stored)");
  std::cout << fleet.sessions.size() << " session(s), " << fleet.snapshots.size() << " stored snapshot(s)\n";
  return fleet.warnings.empty() ? kExitOk : kExitIndeterminate;
}

int ShowFleetStatus(const FleetFlags& f) {
  auto view = Read(f);
  if (!view) return Fail("fleet", view.error());
  for (const auto& w : view->inventory.warnings) std::cerr << "ringfence fleet: warning: " << w << "\n";
  // service -> version -> state -> count
  std::map<std::string, std::map<std::string, std::map<std::string, int64_t>>> counts;
  for (const auto& s : view->inventory.sessions)
    ++counts[s.service.empty() ? "(none)" : s.service][s.session.version][ToString(s.session.state)];
  if (f.format == "json") {
    json out = json::object();
    for (const auto& [service, images] : view->current) {
      if (!f.service.empty() && service != f.service) continue;
      json cur = json::array();
      for (const auto& i : images.current)
        cur.push_back({{"version", i.version},
                       {"digest", i.digest},
                       {"revoked", view->revocations.count(i.digest) > 0}});
      out[service] = {{"rollout", images.rollout_id}, {"rolling", images.rolling}, {"current", cur}};
    }
    for (const auto& [service, versions] : counts) out[service]["sessions"] = versions;
    std::cout << out.dump(2) << "\n";
    return view->inventory.warnings.empty() ? kExitOk : kExitIndeterminate;
  }
  for (const auto& [service, images] : view->current) {
    if (!f.service.empty() && service != f.service) continue;
    std::cout << service << ": runs";
    for (const auto& i : images.current)
      std::cout << " " << i.version << " (" << Short(i.digest)
                << (view->revocations.count(i.digest) ? ", REVOKED" : "") << ")";
    std::cout << (images.rolling ? ", rollout under way: " : ", latest rollout: ") << images.rollout_id
              << "\n";
  }
  for (const auto& [service, versions] : counts) {
    for (const auto& [version, states] : versions) {
      std::cout << "  " << service << " " << version << ":";
      for (const auto& [state, n] : states) std::cout << " " << n << " " << state;
      std::cout << "\n";
    }
  }
  return view->inventory.warnings.empty() ? kExitOk : kExitIndeterminate;
}

int Drift(const FleetFlags& f) {
  DriftPolicy policy;
  policy.max_drifted = f.max_drifted;
  if (!f.max_age.empty()) {
    auto age = ParseDurationMs(f.max_age);
    if (!age || *age <= 0)
      return Fail("fleet", Error::InvalidInput("--max-session-age: not a duration: '" + f.max_age + "'"));
    policy.max_session_age_ms = *age;
  }
  auto view = Read(f);
  if (!view) return Fail("fleet", view.error());
  const FleetInventory& fleet = view->inventory;
  for (const auto& w : fleet.warnings) std::cerr << "ringfence fleet: warning: " << w << "\n";
  DriftReport report = AssessDrift(fleet, view->current, view->revocations, app::PolicyOf(*view, policy),
                                   SystemClock().NowUnixMs());
  // A backend that could not be read leaves the fleet unknown: never a clean report.
  const bool unknown = !fleet.warnings.empty();
  if (f.format == "prometheus") {
    std::cout << metrics::FleetMetricsText(fleet, report);
  } else if (f.format == "json") {
    json out = {
        {"sessions_checked", report.sessions_checked},
        {"snapshots_checked", report.snapshots_checked},
        {"drifted", json::array()},
        {"by_reason", json::object()},
        {"pending_revocations", report.pending_revocations},
        {"exceeds_policy", report.exceeds_policy},
        {"warnings", fleet.warnings},
        {"policy", {{"max_session_age_ms", policy.max_session_age_ms}, {"max_drifted", policy.max_drifted}}}};
    for (const auto& [reason, n] : report.by_reason) out["by_reason"][ToString(reason)] = n;
    for (const auto& item : report.drifted) {
      json j =
          item.snapshot ? SnapshotJson(fleet.snapshots[item.index]) : SessionJson(fleet.sessions[item.index]);
      j["item"] = item.snapshot ? "snapshot" : "session";
      j["findings"] = json::array();
      for (const auto& finding : item.findings)
        j["findings"].push_back({{"reason", ToString(finding.reason)}, {"detail", finding.detail}});
      out["drifted"].push_back(j);
    }
    std::cout << out.dump(2) << "\n";
  } else {
    const bool color = Output().color_stdout;
    for (const auto& item : report.drifted) {
      std::string what = item.snapshot
                             ? fleet.snapshots[item.index].kind + " " + fleet.snapshots[item.index].path
                             : "session " + fleet.sessions[item.index].session.id;
      std::cout << Paint("DRIFT", Tone::kBad, color) << " " << what << "\n";
      for (const auto& finding : item.findings)
        std::cout << "  " << ToString(finding.reason) << ": " << finding.detail << "\n";
    }
    for (const auto& d : report.pending_revocations)
      std::cout << Paint("PENDING", Tone::kWarn, color) << " revocation of " << d
                << " is journaled but not complete: `ringfence image revoke " << d << "` finishes it\n";
    std::cout << report.drifted.size() << " of " << report.sessions_checked + report.snapshots_checked
              << " drifted (" << report.sessions_checked << " sessions, " << report.snapshots_checked
              << " stored snapshots; tolerated " << policy.max_drifted << ")"
              << (report.exceeds_policy ? ": exceeds the policy"
                  : unknown             ? ": the fleet is not fully known"
                                        : "")
              << "\n";
  }
  if (report.exceeds_policy) return kExitDrift;
  return unknown ? kExitIndeterminate : kExitOk;
}

}  // namespace

Runner SetupFleet(CLI::App& app) {
  auto f = std::make_shared<FleetFlags>();
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--state", f->state, "State directory")->capture_default_str();
  app.add_option("--service", f->service, "Only this service's sessions");
  auto* list = app.add_subcommand("list", "Every session the backends hold, with its image and measurement");
  auto* status =
      app.add_subcommand("status", "What each service runs, and its sessions by version and state");
  auto* drift = app.add_subcommand("drift", "Sessions and snapshots that are not what their service runs");
  for (auto* sub : {list, status})
    sub->add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  drift->add_option("--format", f->format, "text, json or prometheus")
      ->check(CLI::IsMember({"text", "json", "prometheus"}));
  drift->add_option("--max-session-age", f->max_age,
                    "Sessions launched longer ago drift (e.g. 8h); each rollout's own limit applies too (its "
                    "plan's sessions.max_age, its image policy's max_session_age)");
  drift->add_option("--max-drifted", f->max_drifted, "Drifted items tolerated before exit 10")
      ->check(CLI::NonNegativeNumber);
  return [f, list, status]() -> int {
    if (list->parsed()) return List(*f);
    if (status->parsed()) return ShowFleetStatus(*f);
    return Drift(*f);
  };
}

void AddRevokeFlags(CLI::App& revoke, const std::shared_ptr<RevokeFlags>& f) {
  f->state = DefaultStateDir();
  revoke.add_option("digest", f->digest, "The image's digest (sha256:...)")->required();
  revoke.add_option("--reason", f->reason, "Why (journaled and audited)")->required();
  revoke.add_option("--by", f->by, "Who revokes")->required();
  revoke.add_option("--state", f->state, "State directory")->capture_default_str();
  revoke.add_option("--audit-key", f->audit_key,
                    "The audit log's key file (default $RINGFENCE_AUDIT_KEY_FILE)");
  revoke.add_option("--format", f->format, "text or json")->check(CLI::IsMember({"text", "json"}));
}

int Revoke(const RevokeFlags& f) {
  auto state = OpenStateDirForWriting(f.state, f.audit_key);
  if (!state) return Fail("image revoke", state.error());
  RolloutWiring wiring(*state, false);
  app::RolloutWorld& world = wiring.world();
  app::FleetWorld fleet{world.store, world.backends, world.clock, world.state_dir, world.workload_binary};
  const std::string holder = DriverId();
  auto drive = [&](const std::string& id) -> ringfence::Status {
    auto rollout = app::LoadRollout(world, id, nullptr);
    if (!rollout) return rollout.error();
    auto run = app::DriveRollout(world, *rollout, {false, false, holder});
    if (!run) return run.error();
    if (!run->outcome) return run->outcome.error();
    return ringfence::Status::Ok();
  };
  auto report = app::RevokeImage(fleet, world.audit, f.digest, f.reason, f.by, world.holder_alive, drive);
  if (!report) return Fail("image revoke", report.error());
  if (f.format == "json") {
    std::cout << json{{"digest", report->digest},
                      {"newly_revoked", report->newly_revoked},
                      {"rollouts_aborted", report->rollouts_aborted},
                      {"rollouts_driven", report->rollouts_driven},
                      {"sessions_ended", report->sessions_ended},
                      {"snapshots_deleted", report->snapshots_deleted},
                      {"failures", report->failures},
                      {"elapsed_ms", report->elapsed_ms},
                      {"completed", report->completed}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << (report->newly_revoked ? "revoked " : "already revoked (journaled before), swept again: ")
              << report->digest << "\n";
    for (const auto& id : report->rollouts_aborted) std::cout << "  rollout " << id << ": aborted\n";
    for (const auto& id : report->rollouts_driven) std::cout << "  rollout " << id << ": rolled back here\n";
    std::cout << "  " << report->sessions_ended << " session(s) ended, " << report->snapshots_deleted
              << " snapshot(s) deleted in " << FormatDurationMs(report->elapsed_ms) << "\n";
    for (const auto& why : report->failures) std::cout << "  NOT DONE: " << why << "\n";
    std::cout << (report->completed
                      ? "  complete: nothing of the image is left, and no session will start on it\n"
                      : "  incomplete: journaled; run the same command again to finish it\n");
  }
  return report->completed ? kExitOk : kExitIndeterminate;
}

}  // namespace ringfence::cli
