// The subcommand table: each command registers its flags on a CLI11 subcommand and returns the
// function that runs it. main() reads top to bottom from this table.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace ringfence::cli {

using Runner = std::function<int()>;

struct Command {
  const char* name;
  const char* description;
  Runner (*setup)(CLI::App& sub);
};

const std::vector<Command>& Commands();

// One function per command, each in cli/<name>_command.cc.
Runner SetupScope(CLI::App& sub);
Runner SetupExplain(CLI::App& sub);
Runner SetupDiff(CLI::App& sub);
Runner SetupCheck(CLI::App& sub);
Runner SetupGuard(CLI::App& sub);
Runner SetupRules(CLI::App& sub);
Runner SetupRollout(CLI::App& sub);
Runner SetupAudit(CLI::App& sub);
Runner SetupReplay(CLI::App& sub);
Runner SetupTune(CLI::App& sub);
Runner SetupInit(CLI::App& sub);
Runner SetupImage(CLI::App& sub);
Runner SetupFleet(CLI::App& sub);

}  // namespace ringfence::cli
