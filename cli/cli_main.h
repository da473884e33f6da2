// The ringfence command line: parses argv, runs one subcommand, and turns its outcome into an exit
// code (cli/exit_codes.h). Exceptions stop here. The shipped binary's main() is this; a test build
// (tests/support/faulty_main.cc) calls it too, after installing a fault injector.
#pragma once

namespace ringfence::cli {

int RunCli(int argc, char** argv);

}  // namespace ringfence::cli
