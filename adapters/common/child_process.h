// Child processes for session backends: started without a shell in a process group of their own
// (so signals reach everything they start), output to a log file; and the checks and signals a
// backend needs to end them, whether they are its children or an earlier, killed process's.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// Starts argv[0] (a path, or a name looked up in PATH) with the current environment plus `extra_env` ("NAME=value"); stdin is
// /dev/null, stdout and stderr append to `log_path`. Returns the pid.
Result<int> SpawnInOwnGroup(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
                            const std::string& log_path);

// True once `pid` has ended: reaped here if it is our child; otherwise gone, or a zombie whose
// parent (an earlier, killed orchestrator's reaper: init) has not collected it yet.
bool ProcessEnded(int pid);

// Stops (SIGSTOP) or continues (SIGCONT) the group and returns once every thread of `pid` is in
// the state asked for, or after `timeout_ms` (an error then): a signal is delivered after kill()
// returns, and a session must not answer once Pause has returned.
Status StopProcessGroup(int pid, bool stop, int timeout_ms);

// SIGTERM to the group (after SIGCONT, so a stopped group can act on it), SIGKILL after `grace_ms`.
void EndProcessGroup(int pid, int grace_ms);

}  // namespace ringfence
