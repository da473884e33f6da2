// The simulated world behind the orchestrator's ports: a virtual clock, a fleet of sessions (the
// SessionBackend) and their metrics (the MetricSource), and the clients that use them. Time moves
// only when the orchestrator sleeps (Clock::SleepUntil): the world then plays every step up to
// that instant (client arrivals with a daily cycle, requests, errors, latency, crashes, the
// candidate's fault switching on), routing every client session through the production Router.
// Single-threaded and seeded: the same scenario and seed give the same world, step for step.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/ports/clock.h"
#include "engine/ports/metric_source.h"
#include "engine/ports/session_backend.h"
#include "engine/rollout/cohort_counters.h"
#include "engine/rollout/router.h"
#include "simulations/sim/random.h"
#include "simulations/sim/scenario.h"

namespace ringfence::sim {

inline constexpr const char* kBaselineVersion = "baseline";
inline constexpr const char* kCandidateVersion = "candidate";

// Requests and errors of each cohort over one minute, and the weight at its end.
// Counts of one bucket of the timeline (see TimelineBucket).
struct TimelinePoint {
  int64_t at_ms = 0;    // the bucket's start, from the world's start
  int64_t span_ms = 0;  // its length
  long baseline_requests = 0, baseline_errors = 0;
  long candidate_requests = 0, candidate_errors = 0;
  double weight = 0;
  bool fault_active = false;
};

// The bucket a time falls in: 30 s buckets for the first six hours, one minute after; and the
// start of a bucket.
size_t TimelineBucket(int64_t since_start_ms);
int64_t TimelineBucketStart(size_t bucket);

struct WorldStats {
  int64_t fault_onset_ms = -1;  // first request the fault hit, from the rollout's start (-1: never)
  long client_sessions = 0;
  long exposed_clients = 0;  // client sessions the active fault could hit on the candidate
  long hurt_clients = 0;     // ... that saw at least one error it caused (beyond the candidate's own)
  long requests = 0;
  long events = 0;  // arrivals, request batches, launches, crashes, terminations
  long launches = 0;
};

class SimWorld {
 public:
  SimWorld(const Scenario& scenario, uint64_t seed, int64_t start_unix_ms, int64_t step_ms);
  ~SimWorld();

  Clock& clock();
  SessionBackend& backend();
  MetricSource& metrics();
  // Clients go through this router; idle sessions past `warm_ms` end.
  void SetRouter(Router* router, int64_t warm_ms);

  // The candidate exists from here on; a fault's onset counts from it.
  void SetRolloutStart(int64_t unix_ms) { rollout_start_ = unix_ms; }
  // Plays every step up to `unix_ms`.
  void AdvanceTo(int64_t unix_ms);
  int64_t now() const { return now_; }
  int64_t start() const { return start_; }
  const WorldStats& stats() const { return stats_; }
  const std::vector<TimelinePoint>& timeline() const { return timeline_; }

 private:
  class SimClock;
  class SimBackend;
  class SimMetrics;
  using Counters = SessionCounters;
  struct Session {
    std::string version;
    bool candidate = false;  // version == kCandidateVersion, decided once
    int64_t started = 0;
    bool crashed = false, ended = false;
    Counters c;
    CounterHistory history;  // after each step it served requests
  };
  struct Client {
    std::string id;
    Session* session = nullptr;  // the router's binding, cached until the session ends
    std::string session_id;
    int64_t touched = 0;
    int64_t ends_at = 0;
    bool in_cohort = true;
    bool exposed = false, hurt = false;
  };

  void Step(int64_t t);
  bool FaultActive(int64_t t);
  const Behaviour& BehaviourOf(const Session& s, const Client& c, bool fault_active) const;

  const Scenario& scenario_;
  Random rng_;
  int64_t start_, now_, step_ms_, next_step_;
  int64_t warm_ms_ = 300'000;
  int64_t rollout_start_ = 0;
  Router* router_ = nullptr;
  std::unique_ptr<SimClock> clock_;
  std::unique_ptr<SimBackend> backend_;
  std::unique_ptr<SimMetrics> metrics_;
  std::map<std::string, Session> sessions_;
  std::vector<Session*> launched_;  // every session, in launch order (stable pointers)
  std::vector<Client> active_;
  std::set<std::string> active_ids_;
  std::vector<std::string> recent_;  // clients that may come back
  long next_client_ = 0;
  int64_t next_expiry_ = 0;
  bool fraction_reached_ = false;
  WorldStats stats_;
  std::vector<TimelinePoint> timeline_;
};

}  // namespace ringfence::sim
