// Running a local tool (dpkg-query, dpkg-deb, apt-get, the dynamic loader) and reading what it
// printed: no shell, an explicit environment, stdin from /dev/null, output capped.
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct ToolOutput {
  int exit_code = -1;  // the tool's exit status; -1 when a signal ended it
  std::string out, err;
};

struct ToolOptions {
  std::vector<std::string> env;  // the whole environment; empty: this process's, unchanged
  std::string cwd;               // "" for this process's
  size_t max_output = 64 << 20;  // bytes of stdout kept; a tool printing more is an error
};

// An environment for tools whose output must not depend on the caller's: a fixed PATH, the C
// locale, and nothing else (no LD_PRELOAD, LD_LIBRARY_PATH or TZ reaches them).
std::vector<std::string> CleanToolEnvironment();

// kIo when the tool cannot be started or prints more than allowed; a non-zero exit is returned
// as such (callers decide what it means).
Result<ToolOutput> RunTool(const std::vector<std::string>& argv, const ToolOptions& options = {});

// RunTool, with a non-zero exit turned into kIo naming the tool and the first line it wrote to stderr.
Result<std::string> RunToolOk(const std::vector<std::string>& argv, const ToolOptions& options = {});

}  // namespace ringfence
