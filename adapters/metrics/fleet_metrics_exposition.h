// The fleet and its drift in the Prometheus text exposition format, built with prometheus-cpp:
// what `ringfence fleet drift --format prometheus` prints for a textfile collector or a scheduled
// job's push.
#pragma once

#include <string>

#include "engine/fleet/drift.h"
#include "engine/model/fleet.h"

namespace ringfence::metrics {

// ringfence_fleet_sessions{service,version,state}, ringfence_fleet_drifted{reason},
// ringfence_fleet_snapshots{backend,kind}, ringfence_fleet_revocations_pending,
// ringfence_fleet_drift_exceeds_policy.
std::string FleetMetricsText(const FleetInventory& fleet, const DriftReport& drift);

}  // namespace ringfence::metrics
