// OpenVEX documents (https://github.com/openvex/spec, v0.2.0): statements that a product is or
// is not affected by a vulnerability. `not_affected` needs a justification or an impact
// statement (the spec's MUST). ringfence also reads an optional `expires` (RFC 3339) on a
// statement: after it the statement is no longer honoured (other tools ignore the field).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/image/purl.h"

namespace ringfence {

enum class VexStatus { kNotAffected, kAffected, kFixed, kUnderInvestigation };
const char* ToString(VexStatus s);

struct VexStatement {
  std::string vulnerability;         // vulnerability.name (a CVE or an advisory id)
  std::vector<std::string> aliases;  // vulnerability.aliases
  std::vector<Purl> products;        // products[].@id or identifiers.purl, as purls
  VexStatus status = VexStatus::kUnderInvestigation;
  std::string justification, impact_statement;
  std::optional<int64_t> expires_ms;
  std::string source;  // "FILE: statements[N]", for reports
};

// Every statement of the document; kInvalidInput with the statement's index for a bad one.
Result<std::vector<VexStatement>> ParseOpenVex(std::string_view text, const std::string& path);

}  // namespace ringfence
