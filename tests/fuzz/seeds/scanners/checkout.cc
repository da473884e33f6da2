#include <iostream>

#include "auth/token.h"

int main() { std::cout << auth::Verify(auth::IssueToken("demo")) << "\n"; }
