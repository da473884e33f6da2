// Use case: propose a first components file for a repository that has none (`ringfence init`).
#pragma once

#include <string>

#include "engine/core/result.h"
#include "engine/graph/propose_components.h"
#include "engine/ports/repository.h"

namespace ringfence::app {

// The proposal for the tree at `revision`; what exists already is the caller's to check.
Result<ComponentsProposal> ProposeComponentsAt(Repository& repo, const std::string& revision);

}  // namespace ringfence::app
