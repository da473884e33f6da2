#include "tests/support/required_tool.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "tests/support/run_process.h"

namespace ringfence::testing {

bool HaveTool(const std::string& tool) {
  bool found = tool.find('/') == std::string::npos
                   ? RunProcess({"sh", "-c", "command -v " + tool}).exit_code == 0
                   : std::filesystem::exists(tool);
  if (found) return true;
  if (std::getenv("RINGFENCE_REQUIRE_VALIDATORS") != nullptr) FAIL(tool << " is not installed");
  WARN("skipped: " << tool << " is not installed (scripts/install-validators.sh)");
  return false;
}

}  // namespace ringfence::testing
