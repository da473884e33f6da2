// The tools the guard reads (internal to engine/guard): each one's argv to verb, targets, reach
// and place. Wrappers and the shell are command_action.cc's.
#pragma once

#include <string>
#include <vector>

#include "engine/guard/action.h"
#include "engine/guard/command_action.h"

namespace ringfence::guard_internal {

struct CommandContext {
  CommandDefaults defaults;
  bool privileged = false;
  std::string remote;        // the ssh host the command runs on ("" local)
  std::string text;          // the command as written, for evidence
  bool any_pattern = false;  // some word is an unexpanded glob
  std::string dynamic;       // why its words are not all known (a shell expansion), or ""
  // The program itself may not be what its name says (PATH, LD_PRELOAD, an alias were changed):
  // then even a reader's actions are opaque.
  bool program_changed = false;
  bool cwd_unknown = false;  // a cd to a value the guard does not know: relative paths are unknown
};

// An action of the context with tool, verb and text set; the place is the remote host if any.
Action NewAction(const CommandContext& ctx, const std::string& tool, const std::string& verb);

// Appends the actions of argv (wrappers removed; argv[0] the tool as written). False when the
// tool is not one the guard knows (the caller records an unknown tool).
bool ReadKnownTool(const std::vector<std::string>& argv, const CommandContext& ctx, std::vector<Action>& out);

std::string Basename(const std::string& path);

// A path as the kernel resolves it lexically: "//", "/./" and "x/.." folded, no trailing slash,
// so `rm -rf //etc/../` is read as the `/` it is. Symlinks are not resolved (the guard does not
// read the machine's file system); "~" stays itself.
std::string NormalizePath(const std::string& path);

}  // namespace ringfence::guard_internal
