// A SessionBackend decorator that serialises every call with one mutex, so that the load
// generator's threads, the router and the orchestrator can share a backend written for one thread.
#pragma once

#include <mutex>

#include "engine/ports/session_backend.h"

namespace ringfence {

class LockedBackend : public SessionBackend {
 public:
  explicit LockedBackend(SessionBackend& inner) : inner_(inner) {}
  Capabilities capabilities() const override { return inner_.capabilities(); }
  Result<SessionInfo> Launch(const std::string& id, const ImageRef& image) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Launch(id, image);
  }
  Result<std::vector<SessionInfo>> List() override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.List();
  }
  Status Pause(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Pause(id);
  }
  Status Resume(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Resume(id);
  }
  Status Snapshot(const std::string& id, const std::string& path) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Snapshot(id, path);
  }
  Result<SessionInfo> Restore(const std::string& id, const std::string& path) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Restore(id, path);
  }
  Status Park(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Park(id);
  }
  Result<SessionInfo> Unpark(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Unpark(id);
  }
  Status Terminate(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Terminate(id);
  }
  Result<bool> Healthy(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Healthy(id);
  }
  Result<Measurement> Measure(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.Measure(id);
  }
  Status SetWeight(const ImageRef& baseline, const ImageRef& candidate, double percent) override {
    std::lock_guard<std::mutex> lock(mu_);
    return inner_.SetWeight(baseline, candidate, percent);
  }

 private:
  SessionBackend& inner_;
  std::mutex mu_;
};

}  // namespace ringfence
