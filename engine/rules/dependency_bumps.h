// Dependency version changes in the manifests a change touches: package.json (npm), go.mod (go),
// Cargo.toml (cargo), requirements*.txt (pypi). The level compares the first numeric version in
// each constraint, semver style (a 0.x minor change counts as major, as semver treats it).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/rules/change_facts.h"

namespace ringfence {

using ReadSide = std::function<std::optional<std::string>(const std::string& path)>;

std::vector<DependencyBump> FindDependencyBumps(const ChangeSet& changes, const ReadSide& before,
                                                const ReadSide& after);

// Parses one manifest into package -> (version, line). Exposed for tests and the fuzzer.
struct DeclaredDependency {
  std::string version;
  int line = 0;
};
std::vector<std::pair<std::string, DeclaredDependency>> ParseManifest(const std::string& path,
                                                                      const std::string& text);
// The ecosystem a manifest belongs to, or "" if it is not a manifest.
std::string EcosystemOf(const std::string& path);
DependencyBump::Level CompareVersions(const std::string& from, const std::string& to);

}  // namespace ringfence
