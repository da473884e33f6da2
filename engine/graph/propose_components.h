// A first components file for a repository that has none, proposed from its own structure: each
// directory holding a build manifest (package.json, go.mod, Cargo.toml, pyproject.toml, a Python
// package's __init__.py, CMakeLists.txt, pom.xml, ...) is a component; what no manifest claims is
// grouped by folder, so that every file of the tree belongs to exactly one component. Tiers and
// dependencies are left for a person to set (every component is tier 3 until then).
#pragma once

#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/ports/source_tree.h"

namespace ringfence {

struct ProposedComponent {
  std::string name;
  std::vector<std::string> paths;  // globs as components.yaml takes them ("services/auth/", "Makefile")
  std::string evidence;            // why: "go.mod in services/auth/", "top-level folder docs/"
};

struct ComponentsProposal {
  std::vector<ProposedComponent> components;
  std::string yaml;                    // the file, commented, ready to write
  size_t files = 0;                    // files of the tree
  std::vector<std::string> unclaimed;  // files the proposal does not place (empty unless a bug)
};

// REQUIRES: `files` are one tree's entries (SourceTree::List). The YAML is checked by parsing it as
// components.yaml is parsed and matching every file against it; a proposal that does not parse is
// kInternal.
Result<ComponentsProposal> ProposeComponents(const std::vector<TreeEntry>& files,
                                             const std::string& revision);

}  // namespace ringfence
