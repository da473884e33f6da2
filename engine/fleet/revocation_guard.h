// A SessionBackend decorator that starts nothing on a revoked image: a launch of a revoked digest
// is refused before the backend sees it, and a session restored or unparked onto a revoked image
// (the digest is known only once it is back) is ended at once. The revocations are read from the
// fleet journal at every such call, so a revocation journaled by another process takes effect on
// the next launch of a live driver. Other calls pass through.
#pragma once

#include <string>

#include "engine/ports/session_backend.h"
#include "engine/ports/state_store.h"

namespace ringfence {

class RevocationGuard : public SessionBackend {
 public:
  RevocationGuard(SessionBackend& inner, StateStore& store) : inner_(inner), store_(store) {}
  Capabilities capabilities() const override { return inner_.capabilities(); }
  Result<SessionInfo> Launch(const std::string& id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override { return inner_.List(); }
  Status Pause(const std::string& id) override { return inner_.Pause(id); }
  Status Resume(const std::string& id) override { return inner_.Resume(id); }
  Status Snapshot(const std::string& id, const std::string& path) override {
    return inner_.Snapshot(id, path);
  }
  Result<SessionInfo> Restore(const std::string& id, const std::string& path) override;
  Status Park(const std::string& id) override { return inner_.Park(id); }
  Result<SessionInfo> Unpark(const std::string& id) override;
  Status Terminate(const std::string& id) override { return inner_.Terminate(id); }
  Result<bool> Healthy(const std::string& id) override { return inner_.Healthy(id); }
  Result<Measurement> Measure(const std::string& id) override { return inner_.Measure(id); }
  Status SetWeight(const ImageRef& baseline, const ImageRef& candidate, double percent) override {
    return inner_.SetWeight(baseline, candidate, percent);
  }

 private:
  // kInvalidInput naming the revocation when `digest` is revoked; an unreadable fleet journal is
  // an error too (nothing starts on an image that cannot be checked).
  Status CheckNotRevoked(const std::string& digest, const std::string& id);
  Result<SessionInfo> EndIfRevoked(Result<SessionInfo> back);

  SessionBackend& inner_;
  StateStore& store_;
};

}  // namespace ringfence
