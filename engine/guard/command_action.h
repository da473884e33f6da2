// Commands as actions: an argv (as an agent's tool call runs it) or a shell line (split by
// SplitShell) read into the actions it takes. Wrappers are looked through (sudo, env, nice,
// timeout, nohup, command, exec, `sh -c` with a literal script, ssh with its remote command);
// the tools the guard knows (command_tools.cc) say their verb, targets and reach; anything the
// guard cannot read (dynamic words, xargs, interpreters running code, scripts) is opaque.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/guard/action.h"

namespace ringfence {

// What a command inherits from where it runs, when its own flags do not say.
struct CommandDefaults {
  std::string kube_context;   // kubectl's current context ("" unknown)
  std::string cloud_profile;  // $AWS_PROFILE, else "default"
  std::string database_host;  // $PGHOST ("" unknown)
  std::string cwd;            // the working directory relative paths are read against ("" unknown)
};

// One action per simple command (and per statement of SQL passed to a database client, and per
// file a redirection overwrites). An empty line has none.
std::vector<Action> ActionsOfCommandLine(std::string_view line, const CommandDefaults& defaults);
std::vector<Action> ActionsOfArgv(const std::vector<std::string>& argv, const CommandDefaults& defaults);

}  // namespace ringfence
