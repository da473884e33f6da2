#include "adapters/metrics/fleet_metrics_exposition.h"

#include <map>
#include <tuple>

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace ringfence::metrics {

std::string FleetMetricsText(const FleetInventory& fleet, const DriftReport& drift) {
  using namespace prometheus;
  Registry registry;
  auto& sessions = BuildGauge()
                       .Name("ringfence_fleet_sessions")
                       .Help("Sessions the backends hold, by service, version and state")
                       .Register(registry);
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> by_key;
  for (const auto& s : fleet.sessions)
    ++by_key[{s.service.empty() ? "unknown" : s.service, s.session.version, ToString(s.session.state)}];
  for (const auto& [key, n] : by_key) {
    const auto& [service, version, state] = key;
    sessions.Add({{"service", service}, {"version", version}, {"state", state}}).Set(static_cast<double>(n));
  }
  auto& snapshots = BuildGauge()
                        .Name("ringfence_fleet_snapshots")
                        .Help("Templates and parked snapshots kept on the backends' disks")
                        .Register(registry);
  std::map<std::pair<std::string, std::string>, int64_t> stored;
  for (const auto& t : fleet.snapshots) ++stored[{t.backend, t.kind}];
  for (const auto& [key, n] : stored)
    snapshots.Add({{"backend", key.first}, {"kind", key.second}}).Set(static_cast<double>(n));
  auto& drifted = BuildGauge()
                      .Name("ringfence_fleet_drifted")
                      .Help("Sessions and snapshots drifted, by reason (an item may have several)")
                      .Register(registry);
  for (DriftReason r : {DriftReason::kOtherVersion, DriftReason::kRevoked, DriftReason::kTooOld,
                        DriftReason::kMeasurementDiffers, DriftReason::kUnmeasured, DriftReason::kNoRollout,
                        DriftReason::kStaleSnapshot}) {
    auto it = drift.by_reason.find(r);
    drifted.Add({{"reason", ToString(r)}})
        .Set(it == drift.by_reason.end() ? 0.0 : static_cast<double>(it->second));
  }
  BuildGauge()
      .Name("ringfence_fleet_revocations_pending")
      .Help("Revocations journaled and not yet completed")
      .Register(registry)
      .Add({})
      .Set(static_cast<double>(drift.pending_revocations.size()));
  BuildGauge()
      .Name("ringfence_fleet_drift_exceeds_policy")
      .Help("1 when drift exceeds the policy (the exit status of fleet drift is then 10)")
      .Register(registry)
      .Add({})
      .Set(drift.exceeds_policy ? 1.0 : 0.0);
  return TextSerializer().Serialize(registry.Collect());
}

}  // namespace ringfence::metrics
