// Source files of every language the scanners read: never crash, never hang.
#include <string_view>

#include "engine/scanners/file_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using ringfence::Language;
  for (Language l :
       {Language::kCpp, Language::kPython, Language::kJavaScript, Language::kGo, Language::kJava}) {
    auto scan = ringfence::ScanFile(l, text);
    for (const auto& imp : scan.imports) {
      if (imp.spec.empty() && l != Language::kPython) __builtin_trap();
    }
  }
  return 0;
}
