// What a change does to the images it builds, for the gate: image recipes (`image.yaml` whose
// kind is ImageBuild) whose kernel (the base image) changes or whose egress grows, and SPDX SBOMs
// (`*.spdx.json`) that gain packages or change their versions. A recipe or SBOM the change leaves
// unreadable is named, never skipped (the gate treats it as uninspectable).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/image/sbom.h"
#include "engine/rules/change_facts.h"
#include "engine/rules/dependency_bumps.h"

namespace ringfence {

struct ImageChanges {
  std::vector<ImageFact> facts;
  std::vector<std::pair<std::string, SbomSummary>> sboms;       // the SBOMs after the change, by path
  std::vector<std::pair<std::string, std::string>> unreadable;  // path, why
};

ImageChanges FindImageChanges(const ChangeSet& changes, const ReadSide& before, const ReadSide& after);

}  // namespace ringfence
