// Clock on the system's wall clock; SleepUntil really sleeps.
#pragma once

#include <chrono>
#include <thread>

#include "engine/ports/clock.h"

namespace ringfence {

// Milliseconds since the Unix epoch on the wall clock.
inline int64_t UnixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SystemClock : public Clock {
 public:
  int64_t NowUnixMs() const override { return UnixNowMs(); }
  void SleepUntil(int64_t unix_ms) override {
    int64_t wait = unix_ms - NowUnixMs();
    if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  }
};

}  // namespace ringfence
