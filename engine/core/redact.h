// Secrets in URLs, kept out of everything ringfence writes: the journal, the audit log, logs,
// reports and error messages. A URL's user information ("user:pass@") and the values of its query
// parameters become "***".
#pragma once

#include <string>
#include <string_view>

namespace ringfence {

inline constexpr std::string_view kRedacted = "***";

// `text` (a URL, a message, a whole plan file) with the secrets of every http(s) URL in it redacted.
std::string RedactSecrets(std::string_view text);

// True when RedactSecrets would change `text`.
bool HasSecrets(std::string_view text);

}  // namespace ringfence
