// Where `rollout start` finds the image policy and builds its admission: `--image-policy FILE`
// (an operator's file; the keys, VEX documents and database it names are relative to it), or
// `.ringfence/images.yaml` as committed at `--policy-rev` (default HEAD) of `--policy-repo`
// (default: the repository holding the plan), never the work tree, so an uncommitted edit cannot loosen it.
// No policy there: no admission (the start says so).
#pragma once

#include <functional>
#include <string>

#include "app/check.h"
#include "engine/core/result.h"
#include "engine/model/admission.h"
#include "engine/ports/session_backend.h"

namespace ringfence::cli {

using AdmitFunction =
    std::function<Result<AdmissionDecision>(const ImageRef& baseline, const ImageRef& candidate)>;

// A null function when no policy applies, unless `required` (the operator named the repository
// or revision): then a missing policy is kNotFound. kInvalidInput when the policy, a key, a VEX
// document or the database cannot be read or parsed.
Result<AdmitFunction> LoadImageAdmission(const std::string& repo_dir, const std::string& policy_file,
                                         const std::string& policy_rev, bool required);

// For `check`: scans an SBOM the change touches with the image policy committed at the base (its
// database, VEX and scan policy, loaded once per check); nullopt when the base has no policy.
app::SbomScanner ScanSbomsWithBasePolicy(const std::string& workdir);

}  // namespace ringfence::cli
