// A Clock that moves only when told: SleepUntil jumps to the time asked for.
#pragma once

#include <atomic>

#include "engine/ports/clock.h"

namespace ringfence::testing {

class ManualClock : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1'700'000'000'000) : now_(start_ms) {}
  int64_t NowUnixMs() const override { return now_; }
  void SleepUntil(int64_t unix_ms) override {
    if (unix_ms > now_) now_ = unix_ms;
  }
  void Advance(int64_t ms) { now_ += ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace ringfence::testing
