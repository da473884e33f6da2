// RolloutMetrics in the Prometheus text exposition format, built with prometheus-cpp: what
// `ringfence rollout metrics` prints or writes as a textfile for node_exporter's textfile collector.
#pragma once

#include <string>

#include "engine/rollout/rollout_metrics.h"

namespace ringfence::metrics {

std::string RolloutMetricsText(const RolloutMetrics& m);

}  // namespace ringfence::metrics
