// Unified diffs given with --patch: parsed by libgit2 through the adapter; never crash.
#include <string_view>

#include "adapters/git/git_change_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cs = ringfence::git::ParsePatch(text, "fuzz.patch", true);
  if (cs) {
    for (const auto& f : cs->files) {
      if (f.added < 0 || f.deleted < 0) __builtin_trap();
    }
  }
  return 0;
}
