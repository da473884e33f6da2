// Port: where sessions run. A session is created for one client session, runs one image version
// for its whole life (sticky), and can be paused, resumed, snapshotted and restored where the
// backend supports it. Implementations: adapters/backends/<name>/ (process, qemu, firecracker,
// lambda), chosen by name from the plan.
//
// Contracts: every call is idempotent with respect to the session id (a retried Terminate of a
// terminated session succeeds), so that a resumed orchestrator can replay its journal; no call
// blocks longer than the deadline given at construction; failures are Errors, never exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct ImageRef {
  std::string version;   // from the image manifest
  std::string digest;    // content digest, verified by the backend before launch
  std::string location;  // backend-specific: a directory, a kernel+initrd pair, a function ARN
};

// kParked: the session's machine is gone but its state is on the backend's disk (Park), so it
// neither serves nor costs memory until Unpark brings it back.
enum class SessionState { kStarting, kRunning, kPaused, kParked, kDraining, kStopped, kFailed };
const char* ToString(SessionState state);  // stable names, as registries and reports write them

struct SessionInfo {
  std::string id;
  std::string version;
  SessionState state = SessionState::kStarting;
  std::string endpoint;  // where clients and metrics reach it, e.g. http://127.0.0.1:PORT
  int64_t started_unix_ms = 0;
  int64_t last_request_unix_ms = 0;
  // What the fleet inventory reads (`ringfence fleet`); empty or 0 where a backend cannot say.
  std::string image_digest;         // the image it was launched (or restored) from, verified then
  std::string executable_digest;    // "sha256:..." of the entrypoint it started, taken at launch
  std::string origin;               // "boot", "template" or "snapshot" (a warm start or a restore)
  int64_t last_resume_unix_ms = 0;  // its last resume, restore or unpark
  // What the session's own measurement of its image must equal (a process session measures its
  // image directory, so image_digest; a micro VM guest the root file system of its initrd).
  std::string content_digest;
};

// What a session says it runs (GET /measurement of the workload; see workload/main.cc).
struct Measurement {
  std::string executable;   // "sha256:..." of the running executable
  std::string image;        // the content digest of the image directory it runs from, when it can see one
  std::string image_error;  // why it could not measure its image
  std::string measured_at;  // "boot" or "restore": when its stored measurement was taken
};

struct Capabilities {
  bool pause = false;
  bool snapshot = false;
  bool weighted_routing = false;  // the backend routes new sessions by weight itself (lambda aliases)
};

class SessionBackend {
 public:
  virtual ~SessionBackend() = default;
  virtual Capabilities capabilities() const = 0;
  virtual Result<SessionInfo> Launch(const std::string& session_id, const ImageRef& image) = 0;
  virtual Result<std::vector<SessionInfo>> List() = 0;
  virtual Status Pause(const std::string& session_id) = 0;
  virtual Status Resume(const std::string& session_id) = 0;
  // Writes the session's state to `path`; REQUIRES capabilities().snapshot.
  virtual Status Snapshot(const std::string& session_id, const std::string& path) = 0;
  // A new session `session_id` that carries on from the snapshot at `path`. Copies restored from
  // one snapshot do not share random state (the backend reseeds each).
  virtual Result<SessionInfo> Restore(const std::string& session_id, const std::string& path) = 0;
  // Parks an idle session: its state goes to the backend's own storage and its machine ends; it
  // stays listed (kParked) across backend instances. Unpark brings it back where it left off,
  // possibly at a new endpoint; unparking a running session returns it unchanged. Terminate
  // deletes a parked session's state. REQUIRE capabilities().snapshot; others return an error.
  virtual Status Park(const std::string& session_id) {
    return Error::InvalidInput("this backend cannot park session " + session_id);
  }
  virtual Result<SessionInfo> Unpark(const std::string& session_id) {
    return Error::InvalidInput("this backend cannot unpark session " + session_id);
  }
  virtual Status Terminate(const std::string& session_id) = 0;
  // What the session measures of itself, asked now; kInvalidInput for a backend whose sessions
  // cannot say, kIo when a running session does not answer.
  virtual Result<Measurement> Measure(const std::string& session_id) {
    return Error::InvalidInput("this backend cannot measure session " + session_id);
  }
  // Healthy when the session answers its health check within the deadline.
  virtual Result<bool> Healthy(const std::string& session_id) = 0;
  // Share of new client sessions that go to `candidate` (0..100); backends that do not route
  // themselves ignore it and the orchestrator's router applies it.
  virtual Status SetWeight(const ImageRef& baseline, const ImageRef& candidate, double percent) = 0;

  // Terminates every session the backend lists: its own and those an earlier, killed instance
  // left in its registry.
  Status TerminateAll() {
    auto sessions = List();
    if (!sessions) return sessions.error();
    for (const auto& s : *sessions) {
      if (auto st = Terminate(s.id); !st) return st;
    }
    return Status::Ok();
  }
};

}  // namespace ringfence
