#include "simulations/sim/drift_check.h"

#include <algorithm>

#include "engine/fleet/drift.h"
#include "simulations/sim/sim_world.h"

namespace ringfence::sim {
namespace {

constexpr const char* kCurrentDigest =
    "sha256:0000000000000000000000000000000000000000000000000000000000000001";
constexpr const char* kDriftedDigest =
    "sha256:0000000000000000000000000000000000000000000000000000000000000002";
constexpr const char* kExecutable = "sha256:00000000000000000000000000000000000000000000000000000000000000e1";
constexpr const char* kChangedExecutable =
    "sha256:00000000000000000000000000000000000000000000000000000000000000e2";
constexpr int64_t kDivergedAt = 1'000'000'000'000;  // an arbitrary epoch: only differences matter

// The fleet as a backend's inventory would list it when the job runs: `hosts` sessions of the
// current image, the drifted ones as the scenario says (absent when no inventory reaches them).
// The others were launched just before the job (a fleet that recycles).
FleetInventory FleetAsListed(const std::string& service, const FleetDrift& drift, int64_t job_at) {
  FleetInventory fleet;
  for (int64_t i = 0; i < drift.hosts; ++i) {
    const bool drifted = i < drift.drifted;
    if (drifted && !drift.inventoried) continue;
    FleetSession fs;
    fs.backend = "replay";
    fs.rollout_id = "replay";
    fs.service = service;
    fs.client = "h" + std::to_string(i);
    SessionInfo& s = fs.session;
    s.id = "replay.h" + std::to_string(i) + ".1";
    s.state = SessionState::kRunning;
    s.version = drifted && !drift.mutated ? drift.version : kBaselineVersion;
    s.image_digest = drifted && !drift.mutated ? kDriftedDigest : kCurrentDigest;
    s.executable_digest = kExecutable;
    s.content_digest = s.image_digest;
    s.origin = "boot";
    s.started_unix_ms = drifted ? kDivergedAt - drift.session_age_ms : job_at;
    fs.measurement =
        Measurement{drifted && drift.mutated ? kChangedExecutable : kExecutable, s.image_digest, "", "boot"};
    fleet.sessions.push_back(std::move(fs));
  }
  return fleet;
}

}  // namespace

DriftOutcome CheckDrift(const std::string& service, const FleetDrift& drift, int64_t max_session_age_ms) {
  DriftOutcome out;
  out.hosts = drift.hosts;
  out.drifted = drift.drifted;
  out.inventoried = drift.inventoried;
  out.harm_after_ms = drift.harm_after_ms;
  out.check_every_ms = drift.check_every_ms;
  out.max_session_age_ms = max_session_age_ms;

  const int64_t job_at = kDivergedAt + drift.check_every_ms;  // the job's first run, at the latest
  FleetInventory fleet = FleetAsListed(service, drift, job_at);
  ServiceImages current{service, "replay", {ImageRef{kBaselineVersion, kCurrentDigest, ""}}, false};
  DriftReport report =
      AssessDrift(fleet, {{service, current}}, {}, {max_session_age_ms, drift.max_drifted, {}}, job_at);
  for (const auto& [reason, n] : report.by_reason) out.found[ToString(reason)] = n;
  if (!report.drifted.empty() && !report.drifted.front().findings.empty())
    out.example = report.drifted.front().findings.front().detail;
  out.seen = report.exceeds_policy;
  if (out.seen) out.seen_after_ms = drift.check_every_ms;
  if (max_session_age_ms > 0)  // the router recycles a session by the time it reaches the age
    out.recycled_after_ms = std::max<int64_t>(0, max_session_age_ms - drift.session_age_ms);
  return out;
}

}  // namespace ringfence::sim
