#include "engine/rollout/router.h"

#include <algorithm>

namespace ringfence {

void Router::SetImages(const ImageRef& baseline, const ImageRef& candidate) {
  std::lock_guard<std::mutex> lock(mu_);
  baseline_ = baseline;
  candidate_ = candidate;
}

Status Router::SetWeight(double candidate_percent) {
  ImageRef base, cand;
  {
    std::lock_guard<std::mutex> lock(mu_);
    weight_ = candidate_percent;
    split_total_ = split_candidate_ = 0;
    base = baseline_;
    cand = candidate_;
  }
  return backend_.SetWeight(base, cand, candidate_percent);  // for backends that route themselves
}

double Router::weight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return weight_;
}

Result<SessionInfo> Router::Route(const std::string& client) {
  ImageRef image;
  std::string id;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (auto it = bindings_.find(client); it != bindings_.end()) {
      it->second.last_used_ms = clock_.NowUnixMs();
      ++it->second.in_flight;
      if (it->second.session.state == SessionState::kParked) {
        std::string parked = it->second.session.id;
        auto moving = it->second.moving;
        lock.unlock();
        return Unpark(client, parked, moving);
      }
      return it->second.session;
    }
    // Running deficit: the candidate gets the next session while it is below its share.
    bool to_candidate = static_cast<double>(split_candidate_) <
                        weight_ / 100.0 * static_cast<double>(split_total_ + 1) - 1e-9;
    ++split_total_;
    if (to_candidate) ++split_candidate_;
    image = to_candidate ? candidate_ : baseline_;
    id = prefix_ + "." + client + "." + std::to_string(++launches_);
  }
  auto session = backend_.Launch(id, image);
  if (!session) return session.error();
  std::lock_guard<std::mutex> lock(mu_);
  Binding bound{client, *session, clock_.NowUnixMs()};
  bound.in_flight = 1;
  bindings_[client] = std::move(bound);
  return *session;
}

void Router::Touch(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = bindings_.find(client); it != bindings_.end()) {
    it->second.last_used_ms = clock_.NowUnixMs();
    it->second.in_flight = std::max(0, it->second.in_flight - 1);
  }
}

void Router::Unbind(const std::string& client, const std::string& session_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = bindings_.find(client);
    if (it == bindings_.end() || it->second.session.id != session_id) return;
    bindings_.erase(it);
  }
  (void)backend_.Terminate(session_id);  // whatever is left of it
}

Result<SessionInfo> Router::Unpark(const std::string& client, const std::string& session_id,
                                   std::shared_ptr<std::mutex> moving) {
  std::unique_lock<std::mutex> transition(*moving);  // waits out a park still under way
  bool gone = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = bindings_.find(client);
    gone = it == bindings_.end() || it->second.session.id != session_id;
    if (!gone && it->second.session.state != SessionState::kParked)
      return it->second.session;  // the park failed
  }
  if (gone) {  // ended meanwhile (warm window, drain): the client starts afresh
    transition.unlock();
    return Route(client);
  }
  auto woken = backend_.Unpark(session_id);
  if (!woken) return woken.error();  // still parked: the next request tries again
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = bindings_.find(client); it != bindings_.end() && it->second.session.id == session_id) {
    it->second.session = *woken;
    it->second.last_used_ms = clock_.NowUnixMs();
  }
  return *woken;
}

namespace {

// The point in [0.8, 1.0) of the maximum age at which `session_id` is recycled: fixed by the id
// (FNV-1a), so that it is the same in every process and every replay.
double RecycleFraction(const std::string& session_id) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : session_id) h = (h ^ c) * 1099511628211ull;
  return 0.8 + 0.2 * static_cast<double>(h % 10'000) / 10'000.0;
}

}  // namespace

Expired Router::Expire(const SessionLimits& limits) {
  Expired out;
  std::vector<std::pair<std::string, std::shared_ptr<std::mutex>>> to_park;  // client, its lock (held)
  {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t now = clock_.NowUnixMs();
    size_t recycle_budget = std::max<size_t>(1, bindings_.size() / 10);
    for (auto it = bindings_.begin(); it != bindings_.end();) {
      Binding& b = it->second;
      int64_t idle = now - b.last_used_ms;
      const bool parked = b.session.state == SessionState::kParked;
      const int64_t age = now - b.session.started_unix_ms;
      const bool due =
          limits.max_age_ms > 0 && !b.recycling && b.session.started_unix_ms > 0 &&
          static_cast<double>(age) >= RecycleFraction(b.session.id) * static_cast<double>(limits.max_age_ms);
      const bool overdue = due && age >= limits.max_age_ms;  // past the age itself: not deferred
      if (due && (overdue || recycle_budget > 0) && (!parked || (b.in_flight == 0 && b.moving->try_lock()))) {
        if (!overdue) --recycle_budget;
        out.recycled.push_back(b.session.id);
        if (parked) {  // no client is on it: it ends now, its snapshot with it
          b.moving->unlock();
          out.ended.push_back(b.session.id);
          it = bindings_.erase(it);
          continue;
        }
        b.draining = b.recycling = true;
      }
      const bool between_requests = b.in_flight == 0;
      if (idle >= limits.warm_ms || (b.draining && between_requests && idle >= limits.drain_idle_ms) ||
          (b.recycling && between_requests)) {
        out.ended.push_back(b.session.id);
        it = bindings_.erase(it);
        continue;
      }
      if (limits.park_ms > 0 && idle >= limits.park_ms && between_requests && !b.draining &&
          b.session.state == SessionState::kRunning && b.moving->try_lock()) {
        b.session.state = SessionState::kParked;  // from here its client waits for the park to finish
        to_park.emplace_back(it->first, b.moving);
      }
      ++it;
    }
  }
  for (const auto& id : out.ended) (void)backend_.Terminate(id);
  for (auto& [client, moving] : to_park) {
    std::string id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = bindings_.find(client); it != bindings_.end()) id = it->second.session.id;
    }
    Status parked = id.empty() ? Status::Ok() : backend_.Park(id);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = bindings_.find(client);
      if (it != bindings_.end() && it->second.session.id == id) {
        if (parked) {
          it->second.session.endpoint.clear();
          out.parked.push_back(id);
        } else {
          it->second.session.state = SessionState::kRunning;  // not parked: it still serves
        }
      }
    }
    moving->unlock();
  }
  return out;
}

std::vector<std::string> Router::Drain(const std::string& version) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> ids;
  for (auto& [client, b] : bindings_) {
    if (b.session.version != version) continue;
    b.draining = true;
    ids.push_back(b.session.id);
  }
  return ids;
}

Result<std::vector<std::string>> Router::TerminateVersion(const std::string& version) {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = bindings_.begin(); it != bindings_.end();) {
      if (it->second.session.version == version) {
        ids.push_back(it->second.session.id);
        it = bindings_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Sessions of this router the bindings do not know (a launch interrupted by a crash).
  auto listed = backend_.List();
  if (!listed) return listed.error();
  for (const auto& s : *listed) {
    if (Owns(s.id) && s.version == version && std::find(ids.begin(), ids.end(), s.id) == ids.end())
      ids.push_back(s.id);
  }
  for (const auto& id : ids) {
    if (auto st = backend_.Terminate(id); !st) return st.error();
  }
  return ids;
}

Status Router::TerminateAll() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    bindings_.clear();
  }
  auto listed = backend_.List();
  if (!listed) return listed.error();
  for (const auto& s : *listed) {
    if (!Owns(s.id)) continue;
    if (auto st = backend_.Terminate(s.id); !st) return st;
  }
  return Status::Ok();
}

std::string Router::NewSessionId(const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  return prefix_ + "." + client + "." + std::to_string(++launches_);
}

std::string Router::Rebind(const std::string& client, const SessionInfo& session) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = bindings_.find(client);
  if (it == bindings_.end()) {
    bindings_[client] = Binding{client, session, clock_.NowUnixMs()};
    return "";
  }
  std::string old = it->second.session.id;
  it->second.session = session;
  it->second.draining = it->second.recycling = false;
  return old;
}

std::string Router::ClientOf(const std::string& session_id) const {
  // "<prefix>.<client>.<n>"
  size_t last = session_id.rfind('.');
  if (last == std::string::npos || last <= prefix_.size() + 1) return "";
  return session_id.substr(prefix_.size() + 1, last - prefix_.size() - 1);
}

Status Router::Adopt() {
  auto listed = backend_.List();
  if (!listed) return listed.error();
  std::vector<std::string> dead;
  std::unique_lock<std::mutex> lock(mu_);
  int64_t now = clock_.NowUnixMs();
  for (const auto& s : *listed) {
    if (!Owns(s.id)) continue;
    std::string client = ClientOf(s.id);
    long n = 0;
    try {
      n = std::stol(s.id.substr(s.id.rfind('.') + 1));
    } catch (const std::exception&) {
    }
    launches_ = std::max(launches_, n);
    if (client.empty() || (s.state != SessionState::kRunning && s.state != SessionState::kPaused &&
                           s.state != SessionState::kParked)) {
      dead.push_back(s.id);
      continue;
    }
    auto [it, fresh] = bindings_.try_emplace(client, Binding{client, s, now});
    if (!fresh && it->second.session.id != s.id)
      dead.push_back(s.id);  // a client has one session; extras are leftovers
  }
  lock.unlock();
  for (const auto& id : dead) (void)backend_.Terminate(id);
  return Status::Ok();
}

std::vector<Binding> Router::Bindings() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Binding> out;
  for (const auto& [client, b] : bindings_) out.push_back(b);
  return out;
}

}  // namespace ringfence
