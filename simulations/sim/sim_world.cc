#include "simulations/sim/sim_world.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace ringfence::sim {

namespace {
// Timeline buckets: 30 s for the first six hours (a canary window reads in detail; at least two
// world steps of at most 15 s each), a minute
// after (a replay of weeks stays small).
constexpr int64_t kFineBucketMs = 30'000, kFineSpanMs = 6 * 3'600'000, kCoarseBucketMs = 60'000;
}  // namespace

size_t TimelineBucket(int64_t since_start_ms) {
  if (since_start_ms < kFineSpanMs) return static_cast<size_t>(since_start_ms / kFineBucketMs);
  return static_cast<size_t>(kFineSpanMs / kFineBucketMs + (since_start_ms - kFineSpanMs) / kCoarseBucketMs);
}

int64_t TimelineBucketStart(size_t bucket) {
  const auto fine = static_cast<size_t>(kFineSpanMs / kFineBucketMs);
  if (bucket <= fine) return static_cast<int64_t>(bucket) * kFineBucketMs;
  return kFineSpanMs + static_cast<int64_t>(bucket - fine) * kCoarseBucketMs;
}

class SimWorld::SimClock : public Clock {
 public:
  explicit SimClock(SimWorld& w) : w_(w) {}
  int64_t NowUnixMs() const override { return w_.now_; }
  void SleepUntil(int64_t unix_ms) override { w_.AdvanceTo(unix_ms); }

 private:
  SimWorld& w_;
};

class SimWorld::SimBackend : public SessionBackend {
 public:
  explicit SimBackend(SimWorld& w) : w_(w) {}
  Capabilities capabilities() const override { return {true, false, false}; }
  Result<SessionInfo> Launch(const std::string& id, const ImageRef& image) override {
    auto it = w_.sessions_.find(id);
    if (it == w_.sessions_.end() || it->second.ended) {
      Session& s = w_.sessions_[id];
      s = Session{};
      s.version = image.version;
      s.candidate = image.version == kCandidateVersion;
      s.started = w_.now_;
      w_.launched_.push_back(&s);
      live_.insert(id);
      ++w_.stats_.launches;
      ++w_.stats_.events;
    }
    return Info(id, w_.sessions_[id]);
  }
  Result<std::vector<SessionInfo>> List() override {
    std::vector<SessionInfo> out;
    for (const auto& id : live_) out.push_back(Info(id, w_.sessions_[id]));
    return out;
  }
  Status Pause(const std::string&) override { return Status::Ok(); }
  Status Resume(const std::string&) override { return Status::Ok(); }
  Status Snapshot(const std::string& id, const std::string&) override {
    return Error::InvalidInput("simulated session " + id + " cannot be snapshotted");
  }
  Result<SessionInfo> Restore(const std::string& id, const std::string&) override {
    return Error::InvalidInput("simulated session " + id + " cannot be restored");
  }
  Status Terminate(const std::string& id) override {
    if (live_.erase(id)) {
      w_.sessions_[id].ended = true;
      ++w_.stats_.events;
    }
    return Status::Ok();
  }
  Result<bool> Healthy(const std::string& id) override {
    auto it = w_.sessions_.find(id);
    if (it == w_.sessions_.end()) return Error::NotFound("no session " + id);
    return !it->second.ended && !it->second.crashed;
  }
  Status SetWeight(const ImageRef&, const ImageRef&, double) override { return Status::Ok(); }
  const std::set<std::string>& live() const { return live_; }

 private:
  static SessionInfo Info(const std::string& id, const Session& s) {
    SessionInfo i;
    i.id = id;
    i.version = s.version;
    i.state = s.ended ? SessionState::kStopped : s.crashed ? SessionState::kFailed : SessionState::kRunning;
    i.endpoint = "sim://" + id;
    i.started_unix_ms = s.started;
    return i;
  }
  SimWorld& w_;
  std::set<std::string> live_;
};

class SimWorld::SimMetrics : public MetricSource {
 public:
  explicit SimMetrics(SimWorld& w) : w_(w) {}
  Result<MetricCounts> Counts(const MetricQuery& m, const MetricWindow& win) override {
    if (m.name != "errors")
      return Error::InvalidInput("the simulated fleet has no counts named '" + m.name + "'");
    return ErrorCounts(Members(), win, {kBaselineVersion, kCandidateVersion});
  }
  Result<MetricSamples> Samples(const MetricQuery& m, const MetricWindow& win) override {
    if (m.name != "latency")
      return Error::InvalidInput("the simulated fleet has no samples named '" + m.name + "'");
    return LatencySamples(Members(), win);
  }

 private:
  std::vector<CohortMember> Members() const {
    std::vector<CohortMember> out;
    out.reserve(w_.launched_.size());
    for (const Session* s : w_.launched_) out.push_back({&s->history, s->candidate});
    return out;
  }
  SimWorld& w_;
};

SimWorld::SimWorld(const Scenario& scenario, uint64_t seed, int64_t start_unix_ms, int64_t step_ms)
    : scenario_(scenario),
      rng_(seed),
      start_(start_unix_ms),
      now_(start_unix_ms),
      step_ms_(std::max<int64_t>(step_ms, 100)),
      next_step_(start_unix_ms),
      clock_(std::make_unique<SimClock>(*this)),
      backend_(std::make_unique<SimBackend>(*this)),
      metrics_(std::make_unique<SimMetrics>(*this)) {}

SimWorld::~SimWorld() = default;

Clock& SimWorld::clock() { return *clock_; }
SessionBackend& SimWorld::backend() { return *backend_; }
MetricSource& SimWorld::metrics() { return *metrics_; }

void SimWorld::SetRouter(Router* router, int64_t warm_ms) {
  router_ = router;
  warm_ms_ = warm_ms;
}

void SimWorld::AdvanceTo(int64_t unix_ms) {
  while (next_step_ <= unix_ms) {
    now_ = next_step_;
    Step(next_step_);
    next_step_ += step_ms_;
  }
  now_ = std::max(now_, unix_ms);
}

bool SimWorld::FaultActive(int64_t t) {
  const Fault& f = scenario_.fault;
  if (!f.present || rollout_start_ == 0 || t - rollout_start_ < f.onset_after_ms) return false;
  if (f.onset_at_fraction > 0) {
    if (!fraction_reached_) {
      long live = 0, candidate = 0;
      for (const auto& id : backend_->live()) {
        ++live;
        candidate += sessions_[id].candidate;
      }
      fraction_reached_ =
          live > 0 && static_cast<double>(candidate) / static_cast<double>(live) >= f.onset_at_fraction;
    }
    if (!fraction_reached_) return false;
  }
  if (f.oscillate_ms > 0) return ((t - rollout_start_ - f.onset_after_ms) / (f.oscillate_ms / 2)) % 2 == 0;
  return true;
}

const Behaviour& SimWorld::BehaviourOf(const Session& s, const Client& c, bool fault_active) const {
  if (!s.candidate) return scenario_.baseline;
  return fault_active && c.in_cohort ? scenario_.fault.behaviour : scenario_.candidate;
}

namespace {

// Mean and standard deviation (seconds) of a request's lognormal latency.
std::pair<double, double> LatencyMoments(const Behaviour& b) {
  double sigma2 = b.latency_sigma * b.latency_sigma;
  double median_s = b.latency_ms / 1000.0;
  return {median_s * std::exp(sigma2 / 2), median_s * std::sqrt(std::exp(sigma2) * (std::exp(sigma2) - 1))};
}

}  // namespace

void SimWorld::Step(int64_t t) {
  if (!router_) return;
  const Fleet& fleet = scenario_.fleet;
  bool fault = FaultActive(t);
  double step_min = static_cast<double>(step_ms_) / 60000.0;
  double minute_of_day = std::fmod(static_cast<double>(t) / 60000.0, 1440.0);
  double cycle =
      1 + fleet.daily_amplitude * std::cos(2 * M_PI * (minute_of_day - fleet.peak_minute) / 1440.0);
  long arrivals = rng_.Poisson(fleet.arrivals_per_minute * cycle * step_min);
  for (long i = 0; i < arrivals; ++i) {
    std::string id;
    if (!recent_.empty() && rng_.Bernoulli(fleet.returning)) {
      id = recent_[static_cast<size_t>(rng_.Uniform() * static_cast<double>(recent_.size()))];
      if (active_ids_.count(id)) id.clear();  // that client is busy: this is a new one
    }
    if (id.empty()) {
      id = "c" + std::to_string(++next_client_);
      recent_.push_back(id);
      if (recent_.size() > 64) recent_.erase(recent_.begin());
    }
    Client c;
    c.id = id;
    c.ends_at = t + static_cast<int64_t>(rng_.Exponential(fleet.session_minutes * 60000.0));
    c.in_cohort = rng_.Uniform() < scenario_.fault.cohort;
    active_ids_.insert(id);
    active_.push_back(c);
    ++stats_.client_sessions;
    ++stats_.events;
  }

  size_t bucket = TimelineBucket(t - start_);
  while (timeline_.size() <= bucket) {
    TimelinePoint next;
    next.at_ms = TimelineBucketStart(timeline_.size());
    next.span_ms = TimelineBucketStart(timeline_.size() + 1) - next.at_ms;
    timeline_.push_back(next);
  }
  TimelinePoint& point = timeline_[bucket];
  point.weight = router_->weight();
  point.fault_active = point.fault_active || fault;

  for (size_t i = 0; i < active_.size();) {
    Client& c = active_[i];
    long n = rng_.Poisson(fleet.requests_per_minute * step_min);
    if (n > 0 && (!c.session || c.session->ended)) {
      // Bound anew only when the session is gone (ended, expired, drained, crashed): the router
      // decides which version the client gets.
      c.session = nullptr;
      if (auto routed = router_->Route(c.id)) {
        router_->Touch(c.id);  // requests are instants here: the client is between requests again
        c.session_id = routed->id;
        c.session = &sessions_[routed->id];
        c.touched = t;
      }
    }
    if (n > 0) {
      ++stats_.events;
      if (c.session) {
        Session& s = *c.session;
        const Behaviour& b = BehaviourOf(s, c, fault);
        bool faulty = fault && s.candidate && c.in_cohort;
        if (faulty && !c.exposed) {
          c.exposed = true;
          ++stats_.exposed_clients;
          if (stats_.fault_onset_ms < 0) stats_.fault_onset_ms = t - rollout_start_;
        }
        // Errors, and of them those the fault caused: what the candidate would have failed anyway
        // is background (the draws are coupled, so the fault only ever adds errors).
        long errors, caused = 0;
        const Behaviour& own = scenario_.candidate;
        if (b.crash_after_ms > 0 && t - s.started >= b.crash_after_ms) {
          s.crashed = true;  // every request of this step fails; the client gets a new session next
          errors = n;
          if (faulty && !(own.crash_after_ms > 0 && t - s.started >= own.crash_after_ms))
            caused = n - rng_.Binomial(n, own.error_rate);
          router_->Unbind(c.id, c.session_id);
        } else if (faulty) {
          long background = rng_.Binomial(n, std::min(own.error_rate, b.error_rate));
          if (b.error_rate > own.error_rate && own.error_rate < 1)
            caused = rng_.Binomial(n - background, (b.error_rate - own.error_rate) / (1 - own.error_rate));
          errors = background + caused;
        } else {
          errors = rng_.Binomial(n, b.error_rate);
        }
        auto [mean, sd] = LatencyMoments(b);
        double dn = static_cast<double>(n);
        s.c.requests += dn;
        s.c.errors += static_cast<double>(errors);
        s.c.latency_sum += std::max(0.0, dn * mean + std::sqrt(dn) * sd * rng_.Normal());
        s.c.latency_count += dn;
        s.history.Record(t, s.c);
        if (caused > 0 && !c.hurt) {
          c.hurt = true;
          ++stats_.hurt_clients;
        }
        stats_.requests += n;
        if (s.candidate) {
          point.candidate_requests += n;
          point.candidate_errors += errors;
        } else {
          point.baseline_requests += n;
          point.baseline_errors += errors;
        }
        if (t - c.touched >= warm_ms_ / 4 || t >= c.ends_at) {  // often enough for the warm window, no more
          router_->Touch(c.id);
          c.touched = t;
        }
      }
    }
    if (t >= c.ends_at) {
      active_ids_.erase(c.id);
      active_[i] = std::move(active_.back());
      active_.pop_back();
    } else {
      ++i;
    }
  }
  if (t >= next_expiry_) {  // warm windows are minutes: look once a minute
    router_->Expire(SessionLimits{warm_ms_, std::min<int64_t>(warm_ms_, 60'000)});
    next_expiry_ = t + 60'000;
  }
}

}  // namespace ringfence::sim
