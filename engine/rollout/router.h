// The router binds client sessions to backend sessions. A client session keeps its backend
// session for its whole life (sticky); a client without one gets a new session on the version the
// current weight picks. The split is exact, not a coin: at weight w the candidate gets its share of
// each step's new sessions as a running deficit, so that 5% gives 1 in 20 from the first session.
// Idle sessions stay warm for the warm window and are terminated after it; draining sessions are
// terminated as soon as their client is idle. On a backend that snapshots, a session idle past the
// park time is parked (its state on disk, its machine ended) and unparked, state intact, when its
// client comes back within the warm window. Sessions older than the maximum session age are
// recycled: a warm one ends at its client's next idle point (between two requests, never during
// one) and the client's next request starts a session on the version the weight picks; a parked
// one ends at once. Each session's deadline falls at a point of the last fifth of the age fixed by
// its id, so a fleet launched together is not recycled together.
//
// Session ids are "<prefix>.<client>.<n>", so that a restarted orchestrator can adopt the
// sessions an earlier process launched (Adopt) and keep each client on its own.
//
// Thread-safe. Contract: one client is driven by one thread at a time (as a client session is).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/clock.h"
#include "engine/ports/session_backend.h"
#include "engine/rollout/session_limits.h"

namespace ringfence {

struct Binding {
  std::string client;
  SessionInfo session;
  int64_t last_used_ms = 0;
  int in_flight = 0;  // requests routed (Route) and not yet ended (Touch)
  bool draining = false;
  bool recycling = false;  // draining because it is past the maximum session age
  // Held while the session is being parked or unparked, so that its client waits for the one
  // before the other.
  std::shared_ptr<std::mutex> moving = std::make_shared<std::mutex>();
};

struct Expired {
  std::vector<std::string> ended;     // terminated: past the warm window, drained, or recycled
  std::vector<std::string> parked;    // parked: past the park time
  std::vector<std::string> recycled;  // of `ended`, or now draining: past the maximum session age
};

class Router {
 public:
  Router(SessionBackend& backend, Clock& clock, std::string prefix)
      : backend_(backend), clock_(clock), prefix_(std::move(prefix)) {}

  void SetImages(const ImageRef& baseline, const ImageRef& candidate);
  // Share (0..100) of new client sessions that go to the candidate from now on; starts a new split.
  Status SetWeight(double candidate_percent);
  double weight() const;

  // The session serving `client`: its own (unparked first if parked), or a new one launched on the
  // version the weight picks.
  Result<SessionInfo> Route(const std::string& client);
  // A request of `client` ended now: its session stays warm from here. Each Route of a request is
  // followed by one Touch (a client that never comes back is released by the warm window).
  void Touch(const std::string& client);
  // The session failed its client (refused, crashed): forget it; the next Route starts a new one.
  void Unbind(const std::string& client, const std::string& session_id);

  // Terminates sessions idle for `warm_ms` or more, and draining ones between requests and idle
  // for `drain_idle_ms`; parks running ones idle for `park_ms` or more; recycles sessions past
  // `max_age_ms` (before the age itself, at most a tenth of the sessions, at least one, start
  // recycling per call; past it, every one).
  Expired Expire(const SessionLimits& limits);
  // Marks every session of `version` draining: it serves its client until idle, then ends.
  std::vector<std::string> Drain(const std::string& version);
  // Terminates every session of `version` now; their clients move on their next request.
  Result<std::vector<std::string>> TerminateVersion(const std::string& version);
  // Terminates every session of this router.
  Status TerminateAll();
  // A fresh session id for `client` (the router's naming, so adoption still works).
  std::string NewSessionId(const std::string& client);
  // Binds `client` to `session` (restored elsewhere) in place of its current one; returns the id of
  // the session it replaced ("" if it had none).
  std::string Rebind(const std::string& client, const SessionInfo& session);

  // Takes over the sessions of an earlier run from the backend's list (ids with this prefix).
  Status Adopt();
  std::vector<Binding> Bindings() const;
  bool Owns(const std::string& session_id) const { return session_id.rfind(prefix_ + ".", 0) == 0; }
  const std::string& prefix() const { return prefix_; }

 private:
  std::string ClientOf(const std::string& session_id) const;
  // Brings `client`'s parked session `session_id` back (or a new session if it expired meanwhile).
  Result<SessionInfo> Unpark(const std::string& client, const std::string& session_id,
                             std::shared_ptr<std::mutex> moving);

  SessionBackend& backend_;
  Clock& clock_;
  std::string prefix_;
  mutable std::mutex mu_;
  ImageRef baseline_, candidate_;
  double weight_ = 0;
  long split_total_ = 0, split_candidate_ = 0;
  long launches_ = 0;
  std::map<std::string, Binding> bindings_;  // by client
};

}  // namespace ringfence
