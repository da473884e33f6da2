// The built-in load generator: `clients` threads, each opening client sessions one after another
// through the Router (which binds each to its own backend session) and sending
// `requests_per_session` HTTP requests `think_ms` apart. A share `returning` of client sessions
// come back as one of the thread's earlier clients, and so find their warm session. It records what
// each version answered, so a report can say how many clients a bad version hurt.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/ports/client_load.h"
#include "engine/rollout/plan.h"
#include "engine/rollout/router.h"

namespace ringfence::load {

using ringfence::LoadReport;
using ringfence::VersionTally;

class LoadGenerator : public ClientLoad {
 public:
  LoadGenerator(Router& router, LoadSpec spec, uint32_t seed) : router_(router), spec_(spec), seed_(seed) {}
  ~LoadGenerator() override { Stop(); }
  void Start() override;
  void Stop() override;
  LoadReport Report() const override;

 private:
  void Client(int worker);

  Router& router_;
  LoadSpec spec_;
  uint32_t seed_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  LoadReport report_;
};

}  // namespace ringfence::load
