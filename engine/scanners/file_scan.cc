#include "engine/scanners/file_scan.h"

#include "engine/core/text_decoding.h"

#include <algorithm>

namespace ringfence {

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
    case Language::kCpp:
      ScanCpp(content, scan);
      break;
    case Language::kPython:
      ScanPython(content, scan);
      break;
    case Language::kJavaScript:
      ScanJavaScript(content, scan);
      break;
    case Language::kGo:
      ScanGo(content, scan);
      break;
    case Language::kJava:
      ScanJava(content, scan);
      break;
    case Language::kNone:
      break;
  }
  return scan;
}

}  // namespace ringfence
