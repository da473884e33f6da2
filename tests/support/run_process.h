// Runs a real child process (no shell) and captures its output and exit code.
#pragma once

#include <string>
#include <vector>

namespace ringfence::testing {

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
};

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& cwd = "");

// Runs the built ringfence binary with `args`.
ProcessResult RunRingfence(const std::vector<std::string>& args, const std::string& cwd = "");

}  // namespace ringfence::testing
