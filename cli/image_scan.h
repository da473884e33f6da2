// `ringfence image scan`: flags and the command (see docs/images.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace ringfence::cli {

// Adds the `scan` subcommand to `image`; the returned runner is called when it was parsed.
std::pair<CLI::App*, std::function<int()>> AddImageScan(CLI::App& image);

}  // namespace ringfence::cli
