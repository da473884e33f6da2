// Use case: the gate. The scope of the change, the rules and waivers as they are at the BASE
// revision (a change cannot weaken what judges it), the facts rules read, and the verdict. Ports
// only: the Repository, the caches and the operator's files (FileReader).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/scope.h"
#include "engine/image/sbom.h"
#include "engine/image/vulnerability_scan.h"
#include "engine/ports/file_reader.h"
#include "engine/rules/evaluator.h"

namespace ringfence::app {

// Scans an SBOM the change touches with the image policy of the base tree: nullopt when the base
// has none; an error when it has one that cannot be used (the SBOM is then uninspectable).
using SbomScanner = std::function<Result<std::optional<std::vector<Finding>>>(const SourceTree& base,
                                                                              const SbomSummary& sbom)>;

struct CheckRequest {
  ScopeRequest scope;
  std::string repo_path;           // the repository as the operator named it, absolute (paths inside it)
  std::vector<std::string> rules;  // repository paths read at base; absolute paths outside it from disk
  std::string waivers;             // same; default .ringfence/waivers.yaml when present at base
  std::vector<std::string> approved_by;
  std::vector<std::string> labels;
  std::string branch;           // "": the head's branch name, else `branch_fallback`
  std::string branch_fallback;  // e.g. $GITHUB_HEAD_REF
  std::string intent_file;      // YAML {components: [...], paths: [...]}
  std::chrono::system_clock::time_point now;
  SbomScanner scan_sbom = nullptr;  // null: image findings are not facts of this check
};

struct CheckRun {
  ScopeRun scope;
  RuleSet rules;
  std::vector<Waiver> waivers;
  ChangeFacts facts;
  Verdict verdict;
  std::vector<std::string> rule_sources;  // "path@base-commit" or a disk path
};

inline constexpr const char* kDefaultRulesPath = ".ringfence/rules";
inline constexpr const char* kDefaultWaiversPath = ".ringfence/waivers.yaml";

// Errors (exit 4 or 5) for what cannot be read or parsed; a verdict for everything else.
Result<std::unique_ptr<CheckRun>> RunCheck(const CheckRequest& request, Repository& repo,
                                           const ScopeCaches& caches, const FileReader& files);

}  // namespace ringfence::app
