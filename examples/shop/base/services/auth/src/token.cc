#include "auth/token.h"

namespace auth {
std::string IssueToken(const std::string& user) { return "t:" + user; }
bool Verify(const std::string& token) { return token.rfind("t:", 0) == 0; }
}  // namespace auth
