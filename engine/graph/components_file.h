// The declared components file, `.ringfence/components.yaml`:
//
//   apiVersion: ringfence/v1
//   components:
//     - name: auth                 # unique
//       paths: [services/auth/]    # gitignore-style globs (see engine/core/glob.h)
//       depends_on: [common]       # components this one uses: a change to common reaches auth
//       tier: 0                    # criticality, 0 (most critical) .. 9; default 3
//       owners: ["@acme/auth"]
//       global_channel: false      # config/data/flags that reach the whole fleet at once
//       description: "..."
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/glob.h"
#include "engine/core/result.h"

namespace ringfence {

inline constexpr const char* kComponentsPath = ".ringfence/components.yaml";

struct Component {
  std::string name;
  std::vector<std::string> paths;
  std::vector<std::string> depends_on;
  int tier = 3;
  std::vector<std::string> owners;
  bool global_channel = false;
  std::string description;
  int line = 0;  // where it is declared
};

struct ComponentsFile {
  std::string path;
  std::vector<Component> components;
  GlobList globs;               // every component's paths, in declaration order
  std::vector<int> glob_owner;  // glob index -> component index

  // Parses and validates; errors name path:line:col.
  static Result<ComponentsFile> Parse(std::string_view text, const std::string& path);
  struct Membership {
    int component;  // index into components
    int glob;       // the first of its globs that matches
  };
  // The components whose paths match `file`, in declaration order.
  std::vector<Membership> Match(std::string_view file);
};

}  // namespace ringfence
