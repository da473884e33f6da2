#pragma once
#include <string>

namespace auth {
// Seconds a session token stays valid.
constexpr int kTokenTtlSeconds = 86400;
std::string IssueToken(const std::string& user);
bool Verify(const std::string& token);
}  // namespace auth
