// Shell completion scripts (bash, zsh, fish) generated from the command table itself, so that
// every command, verb and flag the parser knows is completed, and nothing it does not know.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace ringfence::cli {

// The script for `shell` ("bash", "zsh" or "fish") completing `root` and all its subcommands.
std::string CompletionScript(CLI::App& root, const std::string& shell);

}  // namespace ringfence::cli
