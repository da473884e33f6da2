// Runs a real child process (no shell) and captures its output and exit code.
#pragma once

#include <string>
#include <vector>

namespace ringfence::testing {

// The exit code RunProcess reports for a child SIGKILL ended.
inline constexpr int kKilled = 128 + 9;

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& cwd = "",
                         const std::vector<std::string>& extra_env = {});

// Runs the built ringfence binary with `args`.
ProcessResult RunRingfence(const std::vector<std::string>& args, const std::string& cwd = "");

// Runs ringfence-faulty (the CLI with a fault injector): it dies by SIGKILL right after the
// journal records `state` for the `nth` time.
ProcessResult RunRingfenceKilledAt(const std::string& state, int nth, const std::vector<std::string>& args);

}  // namespace ringfence::testing

namespace ringfence::testing {

// A real child process running in the background (no shell) with its output in `log_path`;
// SIGTERM, then SIGKILL, when destroyed.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::string& log_path);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  int pid() const { return pid_; }
  // Waits up to `timeout_ms` for the process to exit by itself: its exit code (128+signal when
  // killed), or -1 when it is still running.
  int Wait(int timeout_ms);
  void Stop();

 private:
  int pid_ = -1;
};

// A loopback port that was free a moment ago (for servers that cannot report the port they bound).
int FreeLoopbackPort();

}  // namespace ringfence::testing
