// Dependency version changes in the manifests a change touches: package.json (npm), go.mod (go),
// Cargo.toml (cargo, read with toml++: inline and `[dependencies.NAME]` tables, dev, build,
// workspace and `[target.'cfg(...)'.dependencies]`), requirements*.txt (pypi). The level compares
// the first numeric version in each constraint, semver style (a 0.x minor change counts as
// major, as semver treats it). A manifest the change leaves unreadable is named, never skipped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/rules/change_facts.h"

namespace ringfence {

using ReadSide = std::function<std::optional<std::string>(const std::string& path)>;

struct DependencyChanges {
  std::vector<DependencyBump> bumps;
  // Manifests after the change whose dependencies cannot be read: path and why
  // ("Cargo.toml:3:9: ..."). The gate treats such a file as uninspectable.
  std::vector<std::pair<std::string, std::string>> unreadable;
};

DependencyChanges FindDependencyBumps(const ChangeSet& changes, const ReadSide& before,
                                      const ReadSide& after);

// One declared dependency: its version constraint (or source: "git URL@rev", "path DIR",
// "workspace"), its line, and the table it is declared in ("dependencies",
// "target.cfg(unix).dev-dependencies"...): the same name in two tables is two dependencies.
struct DeclaredDependency {
  std::string version;
  int line = 0;
  std::string section;
};
// Parses one manifest into package -> declaration. Errors: kInvalidInput "path:line:col: why"
// for text the manifest's format does not accept. Exposed for tests and the fuzzer.
Result<std::vector<std::pair<std::string, DeclaredDependency>>> ParseManifest(const std::string& path,
                                                                              const std::string& text);
// The ecosystem a manifest belongs to, or "" if it is not a manifest.
std::string EcosystemOf(const std::string& path);
DependencyBump::Level CompareVersions(const std::string& from, const std::string& to);

}  // namespace ringfence
