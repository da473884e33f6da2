// Globs from CODEOWNERS and components files against paths: no crash, and no pathological time
// (libFuzzer's -timeout catches a blow-up).
#include <string>

#include "engine/core/glob.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string s(reinterpret_cast<const char*>(data), size);
  size_t nl = s.find('\n');
  std::string pattern = s.substr(0, nl);
  std::string path = nl == std::string::npos ? "a/b/c" : s.substr(nl + 1);
  auto glob = ringfence::PathGlob::Parse(pattern);
  if (glob) (void)glob->Matches(path);
  (void)ringfence::WildMatch(pattern, path);
  return 0;
}
