// ringfence: guardrails for AI-authored changes and the rollouts that ship them.
#include "cli/cli_main.h"

int main(int argc, char** argv) { return ringfence::cli::RunCli(argc, argv); }
