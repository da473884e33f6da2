// An image recipe: what `ringfence image build DIR` makes from DIR/image.yaml.
//
//   apiVersion: ringfence/v1
//   kind: ImageBuild
//   name: shop                       # the image's name (SBOM, signed subject)
//   version: "1.5"
//   workload: "@workload"            # the program the guest runs: the bundled workload, or a path in DIR
//   args: ["--error-rate", "0.25"]   # its arguments (also the process backend's entrypoint)
//   kernel: "linux-image-6.1.0-*-amd64"   # optional: a Debian kernel package (a glob picks the newest)
//   modules: [virtio_net, ...]       # optional: kernel modules loaded at boot (default: virtio networking)
//   egress: ["10.0.0.0/8:443"]       # optional: the network egress the image needs (checked at admission)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct ImageRecipe {
  std::string name, version;
  std::string workload = "@workload";
  std::vector<std::string> args;
  std::string kernel;  // "" for an image without its own kernel
  std::vector<std::string> modules;
  std::vector<std::string> egress;
};

inline constexpr const char* kImageRecipeName = "image.yaml";

// The virtio network modules a micro VM guest needs, in load order.
const std::vector<std::string>& DefaultGuestModules();

Result<ImageRecipe> ParseImageRecipe(std::string_view text, const std::string& path);

}  // namespace ringfence
