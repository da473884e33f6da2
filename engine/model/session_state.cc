#include "engine/ports/session_backend.h"

namespace ringfence {

const char* ToString(SessionState state) {
  switch (state) {
    case SessionState::kStarting:
      return "starting";
    case SessionState::kRunning:
      return "running";
    case SessionState::kPaused:
      return "paused";
    case SessionState::kParked:
      return "parked";
    case SessionState::kDraining:
      return "draining";
    case SessionState::kStopped:
      return "stopped";
    case SessionState::kFailed:
      return "failed";
  }
  return "failed";
}

}  // namespace ringfence
