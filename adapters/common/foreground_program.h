// ProgramRunner for a terminal or an agent's tool call: the program is spawned directly
// (posix_spawnp, no shell) with this process's environment and streams, in this process's group,
// so a Ctrl-C reaches it; while it runs this process ignores SIGINT and SIGQUIT (as system(3)
// does) and records how it ended.
#pragma once

#include "engine/ports/program_runner.h"

namespace ringfence {

class ForegroundProgram : public ProgramRunner {
 public:
  ProgramEnd Run(const std::vector<std::string>& argv) override;
};

}  // namespace ringfence
