// The options every command shares for its human output: --quiet and --color. Parsed once by
// RunCli before a command runs; commands read them.
#pragma once

#include <CLI/CLI.hpp>

namespace ringfence::cli {

enum class ColorMode { kAuto, kAlways, kNever };

struct OutputOptions {
  // Nothing on stdout and no progress on stderr; errors still go to stderr and files named by
  // flags (-o, --svg, --csv, --textfile, ...) are still written. The exit code tells the outcome.
  bool quiet = false;
  ColorMode color = ColorMode::kAuto;
  bool color_stdout = false;  // resolved: auto means stdout is a terminal, NO_COLOR unset, TERM not dumb
};

const OutputOptions& Output();

// Registers --quiet/-q and --color on the root command (valid before or after the subcommand).
void AddOutputOptions(CLI::App& root);
// After parsing: resolves the colour and, when quiet, silences stdout.
void ApplyOutputOptions();

}  // namespace ringfence::cli
