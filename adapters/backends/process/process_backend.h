// SessionBackend "process": each session is a local child process in its own process group,
// started without a shell, serving HTTP on a loopback port it picks itself (reported through
// $RINGFENCE_READY_FILE). Pause/resume stop and continue the whole group. A registry of running
// sessions lives in the state directory, so that a new backend instance (a resumed orchestrator)
// finds and can terminate sessions a killed one started: none leak. A session's record is written
// before its process starts, and the process writes its own pid beside it before it runs the
// image, so a launcher killed at any instant leaves nothing a new instance cannot find. Recorded
// pids are verified (start time, environment marker) before any signal.
//
// Not thread-safe: one orchestrator thread drives it.
#pragma once

#include <map>
#include <string>

#include "adapters/backends/image_loader.h"
#include "adapters/backends/session_registry.h"
#include "adapters/common/child_process.h"
#include "engine/ports/session_backend.h"
#include "engine/rollout/image_manifest.h"

namespace ringfence::backends {

struct ProcessBackendOptions {
  std::string state_dir;        // registry, ready files and logs of sessions
  std::string workload_binary;  // what "@workload" in an image's entrypoint means
  int start_timeout_ms = 10000;
  int stop_grace_ms = 2000;  // SIGTERM, then SIGKILL after this
  int health_timeout_ms = 1000;
};

class ProcessBackend : public SessionBackend {
 public:
  explicit ProcessBackend(ProcessBackendOptions options);
  Capabilities capabilities() const override { return {true, false, false}; }
  Result<SessionInfo> Launch(const std::string& session_id, const ImageRef& image) override;
  Result<std::vector<SessionInfo>> List() override;
  Status Pause(const std::string& session_id) override;
  Status Resume(const std::string& session_id) override;
  Status Snapshot(const std::string& session_id, const std::string& path) override;
  Result<SessionInfo> Restore(const std::string& session_id, const std::string& path) override;
  Status Terminate(const std::string& session_id) override;
  Result<bool> Healthy(const std::string& session_id) override;
  Result<Measurement> Measure(const std::string& session_id) override;
  Status SetWeight(const ImageRef&, const ImageRef&, double) override { return Status::Ok(); }
  // Process id of a session, for tests and diagnostics; -1 if unknown.
  int Pid(const std::string& session_id) const;

 private:
  struct Record {
    SessionInfo info;
    ProcessHandle proc;
  };
  Status Save(const Record& r);
  void Forget(const std::string& id);
  bool Alive(Record& r);  // reaps an exited child and marks the session failed
  // Takes the port a starting session wrote to its ready file, if it has: the session is running
  // from then on (also for a session whose launcher was killed before it read the file).
  bool TakeReadyPort(Record& r);

  ProcessBackendOptions options_;
  SessionRegistry registry_;
  std::map<std::string, Record> sessions_;
};

}  // namespace ringfence::backends
