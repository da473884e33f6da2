// ChangeFacts: everything a rule may look at, gathered before evaluation so that rules are pure
// functions of data (and evaluate in microseconds). Built by the CLI from the adapters, or by a
// rules-test fixture directly.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/guard/action.h"
#include "engine/scope/scope_report.h"

namespace ringfence {

enum class AuthorKind { kHuman, kBot, kAi };
const char* ToString(AuthorKind kind);
// The kind ToString names ("ai", "bot", "human"); nullopt for any other text.
std::optional<AuthorKind> AuthorKindNamed(std::string_view text);

struct DependencyBump {
  std::string manifest;   // path of package.json, go.mod, Cargo.toml, requirements.txt
  int line = 0;           // line of the new version in the new manifest (0 if unknown)
  std::string ecosystem;  // npm, go, cargo, pypi
  std::string package;
  std::string from, to;  // versions as written ("" for an added or removed dependency)
  enum class Level { kMajor, kMinor, kPatch, kAdded, kRemoved, kOther } level = Level::kOther;
};
const char* ToString(DependencyBump::Level level);

// What a change does to images (engine/rules/image_changes.h): read from the image recipes
// (`image.yaml`, kind ImageBuild) and the SPDX SBOMs (`*.spdx.json`) it changes.
struct ImageFact {
  enum class Kind {
    kPackageAdded,
    kPackageChanged,
    kBaseChanged,
    kEgressAdded,
    kCve
  } kind = Kind::kPackageAdded;
  std::string file;
  int line = 0;
  std::string subject;  // the package's name, the kernel, the egress entry
  std::string detail;   // "1.2-1 -> 1.3-1", "linux-image-6.1.0-* -> linux-image-6.12.0-*"
  // kCve: 1 low .. 4 critical, 5 unknown (engine/image/cvss.h); -1: the scan could not run (detail
  // says why), which makes a rule asking about vulnerabilities indeterminate. VEX-suppressed
  // findings are not facts.
  int severity = 0;
};
const char* ToString(ImageFact::Kind kind);

struct Intent {
  bool declared = false;
  std::string source;                   // "trailer Intent: in <commit>" or a file path
  std::vector<std::string> components;  // component names the change means to touch
  std::vector<std::string> paths;       // globs
  // An action's task (the guard's --intent-environment, --intent-target): name patterns of the
  // environments and of the targets it means to act on.
  std::vector<std::string> environments, targets;
};

struct ChangeFacts {
  ScopeReport scope;  // files (with commits and patch id), blast radius, components, owners
  // Filled by ClassifyAuthor (engine/rules/author.h) from the commits, branch and labels.
  AuthorKind author_kind = AuthorKind::kHuman;
  std::vector<std::string> agents;  // AI agents named in trailers or identities
  std::string author_evidence;      // what made the change AI or bot authored
  std::string branch;
  std::vector<std::string> labels;
  std::vector<DependencyBump> bumps;
  std::vector<ImageFact> image_changes;
  Intent intent;
  std::chrono::system_clock::time_point now;
  // Paths of the rule and waiver files that judge the change, for self-protection.
  std::vector<std::string> guard_paths;
  // For each changed symlink (by its path): the components, with their tiers, of what it points
  // to inside the repository (by the base's classification). Filled by the check pipeline.
  struct TargetComponent {
    std::string name;
    int tier = -1;
  };
  std::unordered_map<std::string, std::vector<TargetComponent>> symlink_target_components;
  // What `ringfence guard` judges: commands, plan changes, statements (engine/guard), placed in
  // their environments. Empty for a code change.
  std::vector<Action> actions;

  // Derived once and shared by every rule (evaluation is single-threaded): the kinds of each
  // changed file, parallel to scope.changes.files. See FileKindsOf in engine/rules/file_kinds.h.
  mutable std::vector<uint32_t> file_kinds_cache;  // KindMask per file
  // Which changed files each glob list (by its text) matches: rules that share a list share one
  // pass over the files. See matchers::Globs::Hits.
  mutable std::unordered_map<std::string, std::vector<char>> glob_hits_cache;
  // Added-line matches of each shared RE2::Set, by set: per pattern, (file, line) index pairs.
  // REQUIRES: a ChangeFacts is evaluated against one loaded RuleSet (sets are keyed by address).
  mutable std::unordered_map<const void*, std::vector<std::vector<std::pair<uint32_t, uint32_t>>>>
      content_cache;
};

}  // namespace ringfence
