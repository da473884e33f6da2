// A SessionBackend in memory, for unit tests of what drives backends (the Router): sessions are
// records, every call is counted, and faults can be injected (a launch that fails). It stands in
// for no product code: the real backends have their own tests on real processes and micro VMs.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/ports/clock.h"
#include "engine/ports/session_backend.h"

namespace ringfence::testing {

class FakeBackend : public SessionBackend {
 public:
  // With a clock, launches are stamped with its time (started_unix_ms); without, 0.
  explicit FakeBackend(bool snapshots = false, const Clock* clock = nullptr)
      : snapshots_(snapshots), clock_(clock) {}
  Capabilities capabilities() const override { return {true, snapshots_, false}; }
  Result<SessionInfo> Launch(const std::string& id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override;
  Status Pause(const std::string& id) override;
  Status Resume(const std::string& id) override;
  Status Snapshot(const std::string& id, const std::string& path) override;
  Result<SessionInfo> Restore(const std::string& id, const std::string& path) override;
  Status Park(const std::string& id) override;
  Result<SessionInfo> Unpark(const std::string& id) override;
  Status Terminate(const std::string& id) override;
  Result<bool> Healthy(const std::string& id) override;
  Status SetWeight(const ImageRef&, const ImageRef&, double) override { return Status::Ok(); }

  // Fault injection: launches of `version` fail with kIo; parks and unparks fail while set.
  void FailLaunchesOf(const std::string& version) { failing_.insert(version); }
  void FailParks(bool fail) { fail_parks_ = fail; }
  void FailUnparks(bool fail) { fail_unparks_ = fail; }
  // A session launched by someone else (an earlier, killed run): listed, not called.
  void Plant(const SessionInfo& session) { sessions_[session.id] = session; }
  // What was called, in order: "launch <id>", "terminate <id>", "park <id>", "unpark <id>".
  const std::vector<std::string>& calls() const { return calls_; }
  int Count(const std::string& verb) const;
  bool Has(const std::string& id) const { return sessions_.count(id) > 0; }
  SessionState StateOf(const std::string& id) const { return sessions_.at(id).state; }

 private:
  bool snapshots_;
  const Clock* clock_;
  std::map<std::string, SessionInfo> sessions_;
  std::map<std::string, std::string> snapshots_by_path_;  // path -> version
  std::set<std::string> failing_;
  bool fail_parks_ = false, fail_unparks_ = false;
  std::vector<std::string> calls_;
  int next_port_ = 20000;
};

}  // namespace ringfence::testing
