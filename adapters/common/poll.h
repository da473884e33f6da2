// Waiting on something outside the process (a port file, a socket, a VM's status) by polling.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

namespace ringfence {

// Calls `step` (returning std::optional<T>) until it returns a value, sleeping `interval_ms`
// between calls, and returns that value; std::nullopt once `timeout_ms` has passed. `step` runs at
// least once, and once more after the deadline is seen, so a slow last sleep does not lose it.
template <typename Step>
auto PollFor(int64_t timeout_ms, int64_t interval_ms, Step step) -> decltype(step()) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    bool last = std::chrono::steady_clock::now() >= deadline;
    if (auto got = step()) return got;
    if (last) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
}

}  // namespace ringfence
