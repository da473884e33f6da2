// The in-toto v1 statement (../shared/specs/in-toto-v1/statement.md) with an SLSA v1 provenance
// predicate, as ringfence writes it and reads it back: unknown fields are ignored, as the spec
// asks; required fields that are missing or of the wrong type are errors naming the field.
#pragma once

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/model/attestation.h"

namespace ringfence {

// The statement's JSON (the DSSE payload).
std::string StatementJson(const ProvenanceStatement& statement);
// `source` names the input in errors ("image.intoto.json: ...").
Result<ProvenanceStatement> ParseStatement(std::string_view json_text, const std::string& source);

}  // namespace ringfence
