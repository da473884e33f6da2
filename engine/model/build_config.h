// The builds a scope is computed for: target platforms and preprocessor definitions. Conditional
// imports (C/C++ `#if`, Go build constraints) whose condition is false for every configured
// build are not edges; with nothing configured every import is an edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace ringfence {

// A target as Go names it: GOOS/GOARCH ("linux/amd64", "windows/arm64", "darwin/arm64").
struct Platform {
  std::string os;
  std::string arch;
  friend bool operator==(const Platform&, const Platform&) = default;
};

// Parses "OS/ARCH" with OS and ARCH from Go's lists of known systems and architectures.
Result<Platform> ParsePlatform(const std::string& text);
std::string ToString(const Platform& p);

// A preprocessor definition as `-D` writes it: NAME, NAME=VALUE ("NAME" means NAME=1).
struct MacroDefinition {
  std::string name;
  std::optional<std::string> value;  // nullopt: undefined (`-U NAME`)
};

// Parses "NAME" or "NAME=VALUE" (a C identifier before '=').
Result<MacroDefinition> ParseDefine(const std::string& text);

struct BuildConfig {
  std::vector<Platform> platforms;      // none: the platform is unknown
  std::vector<MacroDefinition> macros;  // override compile_commands.json and the platform

  bool empty() const { return platforms.empty() && macros.empty(); }
  // A stable text naming this configuration, for cache keys ("" when empty).
  std::string Key() const;
};

}  // namespace ringfence

namespace ringfence {

// Go's lists (go/build/syslist.go): GOOS values, GOARCH values, and the systems the `unix` build
// tag is true on.
bool IsKnownGoos(std::string_view os);
bool IsKnownGoarch(std::string_view arch);
bool IsUnixGoos(std::string_view os);

}  // namespace ringfence
