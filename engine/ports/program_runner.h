// Port: runs a program in the foreground on behalf of the user who asked for it: argv as given
// (argv[0] a path, or a name looked up in PATH; never a shell), this process's environment,
// directory and standard streams. Implementation: adapters/common/foreground_program.
#pragma once

#include <string>
#include <vector>

namespace ringfence {

struct ProgramEnd {
  bool started = false;  // false: it could not be started (error says why)
  int exit_code = -1;    // its exit status; -1 when a signal ended it
  int signal = 0;        // the signal that ended it, 0 for none
  std::string error;
};

class ProgramRunner {
 public:
  virtual ~ProgramRunner() = default;
  // Blocks until the program ends.
  virtual ProgramEnd Run(const std::vector<std::string>& argv) = 0;
};

}  // namespace ringfence
