// Child processes for session backends: started without a shell in a process group of their own
// (so signals reach everything they start), with an explicit environment, output to a log file;
// and the checks and signals a backend needs to end them, whether they are its children or an
// earlier, killed process's.
//
// A pid read back from a registry is never trusted on its own: before any signal the process is
// checked to be the one that was started (its start time, and the marker its environment
// carries), and pids <= 1 are refused, so a forged or stale record cannot make a backend signal
// someone else's process.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// A process this program started, as recorded to find it again.
struct ProcessHandle {
  int pid = -1;
  uint64_t start_ticks = 0;  // /proc/<pid>/stat field 22, taken at spawn; 0 when not known yet
  std::string marker;        // "NAME=value" in its environment, unique to it (see SpawnOptions)

  nlohmann::json ToJson() const;
  static ProcessHandle FromJson(const nlohmann::json& j);  // pid -1 when fields are missing
};

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0]: a path, or a name looked up in PATH
  std::vector<std::string> env;   // the whole environment ("NAME=value"); see SessionEnvironment
  std::string log_path;           // stdout and stderr append here (created 0600)
  // The child writes its own pid here before it runs argv[0], so a launcher killed between
  // spawn and recording the pid leaves the pid on disk. "" for none.
  std::string pid_file;
  std::string marker;  // added to env; identifies the process (ProcessHandle::marker)
};

// Starts the process; stdin is /dev/null.
Result<ProcessHandle> Spawn(const SpawnOptions& options);

// The environment a session starts with: the documented allow-list of this process's variables
// (PATH, LANG, LC_*, TZ, TMPDIR and the sanitizers' *SAN_OPTIONS), then `extra`. Nothing else
// of the orchestrator's environment (credentials above all) reaches a session.
std::vector<std::string> SessionEnvironment(const std::vector<std::string>& extra);

// The pid a child wrote to `pid_file` (see SpawnOptions), or -1.
int ReadPidFile(const std::string& pid_file);

// True when `h` names a live process that is the one started: pid > 1, the same start time (or,
// when not known, its marker present in /proc/<pid>/environ).
bool IsSameProcess(const ProcessHandle& h);
// Completes a handle recovered from a pid file: its start time, once the process is proven ours
// by its marker. False when it is not (then nothing may be signalled).
bool Adopt(ProcessHandle& h);

// True once the process has ended, or the pid now names another process: reaped here if it is
// our child; a zombie whose parent (init, after a killed orchestrator) has not collected it yet
// counts as ended.
bool ProcessEnded(const ProcessHandle& h);

// Stops (SIGSTOP) or continues (SIGCONT) the group and returns once every thread of the process
// is in the state asked for, or after `timeout_ms` (an error then). kInvalidInput when the
// process is not the one started.
Status StopProcessGroup(const ProcessHandle& h, bool stop, int timeout_ms);

// SIGTERM to the group (after SIGCONT, so a stopped group can act on it), SIGKILL after
// `grace_ms`. Does nothing when the process is not the one started.
void EndProcessGroup(const ProcessHandle& h, int grace_ms);

}  // namespace ringfence
