// CODEOWNERS text: parsing must never crash, and a parsed file must answer any path.
#include <string>

#include "engine/graph/codeowners.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto co = ringfence::Codeowners::Parse(text, "CODEOWNERS");
  if (co) {
    for (const char* p : {"a", "src/a/b.c", "docs/x/y/z.md", ".github/CODEOWNERS"}) (void)co->RuleFor(p);
  }
  return 0;
}
