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

// SIGTERM to the group (after SIGCONT, so a stopped group can act on it), SIGKILL after `grace_ms`.
void EndProcessGroup(int pid, int grace_ms);

}  // namespace ringfence
