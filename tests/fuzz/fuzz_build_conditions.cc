// `#if` conditions, Go build constraints, platform and definition flags: never crash, never
// recurse without bound, and a condition the scanner records evaluates without failing.
#include <string>
#include <string_view>

#include "engine/model/build_config.h"
#include "engine/scanners/cpp_condition.h"
#include "engine/scanners/file_scan.h"
#include "engine/scanners/go_build_constraint.h"
#include "engine/scanners/platform_macros.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ringfence;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const MacroScope scope = [] {
    MacroScope s = PlatformMacros({"linux", "amd64"});
    s.defined.emplace("SELF", "SELF + 1");
    s.defined.emplace("TWO", "SELF ? 2 : 2");
    return s;
  }();
  (void)EvaluateCppCondition(text, scope);
  (void)GoFileInBuild("x_linux.go", text, {"windows", "arm64"});
  (void)GoFileInBuild(text, "", {"linux", "amd64"});
  (void)ParsePlatform(std::string(text));
  (void)ParseDefine(std::string(text));
  FileScan scan = ScanFile(Language::kCpp, text);
  for (const auto& imp : scan.imports) (void)EvaluateCppCondition(imp.condition, scope);
  FileScan go = ScanFile(Language::kGo, text);
  (void)GoFileInBuild("y.go", go.build_constraint, {"linux", "amd64"});
  return 0;
}
