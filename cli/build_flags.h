// The flags that choose the builds conditional imports are judged for, shared by scope, explain
// and check: --platform OS/ARCH, --define NAME[=VALUE], --undefine NAME (each repeatable).
#pragma once

#include <CLI/CLI.hpp>

#include "engine/model/build_config.h"

namespace ringfence::cli {

// Adds the flags to `sub`; a malformed value is a usage error (exit 4) naming the flag.
void AddBuildFlags(CLI::App& sub, BuildConfig& build);

}  // namespace ringfence::cli
