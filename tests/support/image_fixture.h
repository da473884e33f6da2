// Images for tests, built by the real `ringfence image build`: a recipe of the shop service at a
// version (error rate 0), and the build of a recipe with a fixed SOURCE_DATE_EPOCH.
#pragma once

#include <string>
#include <vector>

#include "tests/support/run_process.h"

namespace ringfence::testing {

// Writes DIR/recipe-VERSION/image.yaml (with `extra` YAML appended) and returns its directory.
std::string WriteShopRecipe(const std::string& dir, const std::string& version,
                            const std::string& extra = "");

// `ringfence image build RECIPE -o OUT --workload <the built workload>`, through /bin/sh so
// `shell_prefix` (e.g. "umask 077; cd /; ") can vary the build's environment.
ProcessResult BuildImage(const std::string& recipe, const std::string& out, std::vector<std::string> env = {},
                         const std::string& shell_prefix = "");

}  // namespace ringfence::testing
