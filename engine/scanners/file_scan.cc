#include "engine/scanners/file_scan.h"

#include "engine/core/text_decoding.h"

#include <algorithm>

namespace ringfence {

const char* ToString(Language lang) {
  switch (lang) {
    case Language::kCpp: return "c++";
    case Language::kPython: return "python";
    case Language::kJavaScript: return "javascript";
    case Language::kGo: return "go";
    case Language::kJava: return "java";
    case Language::kNone: break;
  }
  return "none";
}

Language LanguageOf(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return Language::kNone;
  std::string_view ext = name.substr(dot + 1);
  static constexpr std::string_view kCpp[] = {"c", "cc", "cpp", "cxx", "c++", "h", "hh", "hpp",
                                              "hxx", "h++", "ipp", "inl", "tcc", "m", "mm"};
  static constexpr std::string_view kJs[] = {"js", "jsx", "mjs", "cjs", "ts", "tsx", "mts", "cts"};
  for (auto e : kCpp) if (ext == e) return Language::kCpp;
  for (auto e : kJs) if (ext == e) return Language::kJavaScript;
  if (ext == "py" || ext == "pyi") return Language::kPython;
  if (ext == "go") return Language::kGo;
  if (ext == "java") return Language::kJava;
  return Language::kNone;
}

FileScan ScanFile(Language lang, std::string_view content) {
  FileScan scan;
  scan.language = lang;
  if (content.size() > kMaxScanBytes) {
    scan.unscanned = "larger than " + std::to_string(kMaxScanBytes >> 20) + " MiB, not scanned";
    return scan;
  }
  std::string decoded;
  // Only a byte order mark or a NUL byte can hide an import from the byte-level scanners (bytes
  // that are not UTF-8 are scanned as they are); a full UTF-8 check would double a cold scan.
  bool wide = content.substr(0, 2) == "\xFF\xFE" || content.substr(0, 2) == "\xFE\xFF" ||
              content.find('\0') != std::string_view::npos;
  if (wide) {
    DecodedText d = DecodeText(content);
    if (!d.ok) {
      scan.unscanned = d.reason;
      return scan;
    }
    decoded = std::move(d.text);
    content = decoded;
  }
  switch (lang) {
    case Language::kCpp: ScanCpp(content, scan); break;
    case Language::kPython: ScanPython(content, scan); break;
    case Language::kJavaScript: ScanJavaScript(content, scan); break;
    case Language::kGo: ScanGo(content, scan); break;
    case Language::kJava: ScanJava(content, scan); break;
    case Language::kNone: break;
  }
  return scan;
}

}  // namespace ringfence
