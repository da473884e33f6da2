#include "cli/cli_main.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace ringfence::cli {

int RunCli(int argc, char** argv) {
  CLI::App app{"ringfence: bounds for AI-authored changes and the rollouts that ship them"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ringfence " RINGFENCE_VERSION);
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& cmd : Commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    runners.emplace_back(sub, cmd.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitInvalidInput;
  }
  try {
    for (auto& [sub, run] : runners) {
      if (!sub->parsed()) continue;
      int rc = run();
      // A large graph takes longer to free than to use: end the process without destructors, as
      // compilers do. Everything written has been flushed; no file is left half-written because
      // every cache write is a rename of a complete temporary file.
      std::fflush(nullptr);
      std::cout.flush();
      std::_Exit(rc);
    }
  } catch (const std::exception& e) {
    std::cerr << "ringfence: internal error: " << e.what() << "\n";
    return kExitIoError;
  }
  return kExitInvalidInput;
}

}  // namespace ringfence::cli
