#include "tests/support/image_fixture.h"

#include <filesystem>
#include <fstream>

namespace ringfence::testing {

std::string WriteShopRecipe(const std::string& dir, const std::string& version, const std::string& extra) {
  std::string path = dir + "/recipe-" + version;
  std::filesystem::create_directories(path);
  std::ofstream(path + "/image.yaml")
      << "apiVersion: ringfence/v1\nkind: ImageBuild\nname: shop\nversion: \"" << version
      << "\"\nargs: [\"--version\", \"" << version << "\", \"--error-rate\", \"0\"]\n"
      << extra;
  return path;
}

ProcessResult BuildImage(const std::string& recipe, const std::string& out, std::vector<std::string> env,
                         const std::string& shell_prefix) {
  env.push_back("SOURCE_DATE_EPOCH=1764633600");
  std::string cmd = shell_prefix + "exec " + RINGFENCE_BINARY + " image build " + recipe + " -o " + out +
                    " --workload " + RINGFENCE_WORKLOAD;
  return RunProcess({"/bin/sh", "-c", cmd}, "", env);
}

}  // namespace ringfence::testing
