// HealthProbe for staged actions: HTTP through libcurl (private and loopback addresses allowed:
// the operator's own targets), commands spawned without a shell, their output discarded, killed
// at the check's timeout.
#pragma once

#include "engine/ports/health_probe.h"

namespace ringfence {

class TargetProbe : public HealthProbe {
 public:
  ProbeResult Probe(const HealthCheck& check, const StagedTarget& target) override;
};

}  // namespace ringfence
