// Port: the health check of one target of a staged action (engine/guard/staged_action.h): an
// HTTP probe (healthy: a 2xx status) or a command (healthy: exit 0), bounded by the check's
// timeout. Implementation: adapters/common/target_probe.
#pragma once

#include <string>

#include "engine/guard/staged_action.h"

namespace ringfence {

struct ProbeResult {
  bool healthy = false;
  std::string why;  // when unhealthy: the status, the exit, the timeout, the transport error
};

class HealthProbe {
 public:
  virtual ~HealthProbe() = default;
  virtual ProbeResult Probe(const HealthCheck& check, const StagedTarget& target) = 0;
};

}  // namespace ringfence
