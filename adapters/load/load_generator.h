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

#include "engine/rollout/plan.h"
#include "engine/rollout/router.h"

namespace ringfence::load {

struct VersionTally {
  long requests = 0;
  long ok = 0;
  long errors = 0;    // answered 5xx
  long failures = 0;  // no answer: refused, reset, timed out
  long client_sessions = 0;
  long clients_hurt = 0;  // client sessions that saw at least one error or failure
};

struct LoadReport {
  std::map<std::string, VersionTally> by_version;
  long route_failures = 0;  // no session could be launched for a client
  std::string last_route_error;
};

class LoadGenerator {
 public:
  LoadGenerator(Router& router, LoadSpec spec, uint32_t seed) : router_(router), spec_(spec), seed_(seed) {}
  ~LoadGenerator() { Stop(); }
  void Start();
  void Stop();  // waits for the clients' current requests
  LoadReport Report() const;

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
