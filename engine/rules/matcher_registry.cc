#include "engine/rules/matcher_registry.h"

namespace ringfence {

const std::vector<MatcherKind>& MatcherKinds() {
  static const std::vector<MatcherKind> kKinds = {
      {"all", "every condition in the list holds", ParseAll},
      {"any", "at least one condition in the list holds", ParseAny},
      {"not", "the condition does not hold", ParseNot},
      {"paths", "a changed file (new or old path) matches one of the globs", ParsePaths},
      {"components", "a changed file belongs to one of the components", ParseComponents},
      {"affected_components", "one of the components is in the blast radius", ParseAffectedComponents},
      {"status", "a file has one of the statuses (added, modified, deleted, renamed...)", ParseStatus},
      {"kinds",
       "a changed file is of one of the kinds (code, config, lockfile, generated, ci, "
       "infrastructure, docs, test, binary, symlink, uninspectable)",
       ParseKinds},
      {"files_changed", "number of changed files, e.g. {gt: 20}", ParseFilesChanged},
      {"lines_added", "added lines in total", ParseLinesAdded},
      {"lines_deleted", "deleted lines in total", ParseLinesDeleted},
      {"file_lines_changed", "added plus deleted lines of some single file", ParseFileLinesChanged},
      {"blast_radius",
       "{components, files, tier, distance}: affected components and files, the most "
       "critical tier reached, the longest chain",
       ParseBlastRadius},
      {"owners", "an owner to notify matches one of the globs", ParseOwners},
      {"author", "the change's author kind: ai, bot or human (a list: any of them)", ParseAuthor},
      {"agent", "an AI agent named in the commits matches one of the globs", ParseAgent},
      {"branch", "the branch matches one of the globs", ParseBranch},
      {"labels", "the change carries one of the labels", ParseLabels},
      {"added_lines", "{matches: RE2, files: [globs]}: an added line matches", ParseAddedLines},
      {"dependency_bump", "{level: [major...], ecosystems: [...], packages: [globs]}", ParseDependencyBump},
      {"image_packages_added", "[globs]: an SBOM (*.spdx.json) the change touches gains a package",
       ParseImagePackagesAdded},
      {"image_packages_changed", "[globs]: an SBOM the change touches changes a package's version",
       ParseImagePackagesChanged},
      {"image_base_changed", "true: an image recipe (image.yaml) changes its kernel, the base image",
       ParseImageBaseChanged},
      {"image_egress_added", "true: an image recipe declares egress it did not", ParseImageEgressAdded},
      {"image_cve",
       "LEVEL: an SBOM the change touches has a finding at or above it (the base's image policy)",
       ParseImageCve},
      {"global_channel", "true: the change touches a global channel component", ParseGlobalChannel},
      {"time_window", "{timezone, from, to} dates, or {timezone, days, from, to} weekly", ParseTimeWindow},
      {"outside_intent", "true: files outside the declared intent are changed", ParseOutsideIntent},
      {"intent_declared", "true/false: the change declares its intent", ParseIntentDeclared},
      {"guard_files",
       "true: rule files, waivers, the classification (components, CODEOWNERS, .gitattributes) or "
       "CI configuration are changed",
       ParseGuardFiles},
      {"uninspectable",
       "true: a changed file's content is not text content rules can read (the reason is the "
       "evidence)",
       ParseUninspectable},
      {"symlink", "true, or {outside_repo, target_tier, targets}: a changed symlink, and where it points",
       ParseSymlink},
      {"action",
       "{kinds, tools, verbs, environments, tier, targets, count, removes, unbounded, privileged, remote, "
       "pattern, opaque, frozen, reversible, breaches, fleet_fraction, plan_age_minutes}: an action "
       "`ringfence guard` "
       "judges has every facet given",
       ParseAction},
  };
  return kKinds;
}

Result<std::unique_ptr<Matcher>> ParseCondition(const YamlDoc& doc, const YAML::Node& node) {
  if (!node.IsMap() || node.size() != 1) {
    return doc.ErrorAt(node,
                       "a condition is a mapping with exactly one key (e.g. `paths: [...]`, `all: [...]`)");
  }
  auto kv = *node.begin();
  std::string key = kv.first.Scalar();
  for (const auto& k : MatcherKinds()) {
    if (key == k.key) return k.parse(doc, kv.second);
  }
  std::string known;
  for (const auto& k : MatcherKinds()) known += (known.empty() ? "" : ", ") + std::string(k.key);
  return doc.ErrorAt(kv.first, "unknown condition '" + key + "' (known: " + known + ")");
}

}  // namespace ringfence
