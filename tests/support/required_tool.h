// External checkers (validators, a browser): a test that needs one skips its checks with a warning
// when it is not installed, unless the run requires it (scripts/test.sh installs them and sets
// RINGFENCE_REQUIRE_VALIDATORS=1, as CI runs), where a missing tool fails the test.
#pragma once

#include <string>

namespace ringfence::testing {

// `tool` is a command on PATH or a path to an executable.
bool HaveTool(const std::string& tool);

}  // namespace ringfence::testing
