// Port: time. The orchestrator never reads the system clock directly, so that simulations drive
// the same state machine with a virtual clock.
#pragma once

#include <cstdint>

namespace ringfence {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowUnixMs() const = 0;
  // Blocks (or, in a simulation, advances virtual time) until `unix_ms`.
  virtual void SleepUntil(int64_t unix_ms) = 0;
};

}  // namespace ringfence
