// Port: clients that drive traffic through the router while a rollout runs (the built-in load of
// demos, tests and benchmarks: adapters/load). Real services' clients come from elsewhere.
#pragma once

#include "engine/model/load_report.h"

namespace ringfence {

class ClientLoad {
 public:
  virtual ~ClientLoad() = default;
  virtual void Start() = 0;
  virtual void Stop() = 0;  // waits for the clients' current requests
  virtual LoadReport Report() const = 0;
};

}  // namespace ringfence
