// An image: a directory whose manifest.yaml names the version and how to start it.
//
//   apiVersion: ringfence/v1
//   kind: Image
//   version: "2.0"
//   entrypoint: ["@workload", "--version", "2.0", "--error-rate", "0.3"]
//   env: {LOG_LEVEL: info}      # optional: the session's environment beyond the allow-list
//   egress: ["10.0.0.0/8:443"]  # optional: the network egress it needs, checked at admission
//   guest_root: "sha256:<hex>"  # written by `ringfence image build`: the content digest of the
//                               # root file system its initrd unpacks, as a guest measures it
//
// The first word is a path relative to the image directory, an absolute path, or "@workload" for
// the bundled ringfence-workload. The process started must serve HTTP on 127.0.0.1 and write its
// port to the file named by $RINGFENCE_READY_FILE, and answer /healthz and /metrics.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

struct ImageManifest {
  std::string version;
  std::vector<std::string> entrypoint;
  std::vector<std::string> env;  // "NAME=value", in the order written
  std::vector<std::string> egress;
  std::string guest_root;  // empty: not a micro VM guest image
};

inline constexpr const char* kImageManifestName = "manifest.yaml";

Result<ImageManifest> ParseImageManifest(std::string_view text, const std::string& path);

}  // namespace ringfence
