// What a language scanner extracts from one file: its language and its imports as written, with
// line numbers (the value a ScanCache keeps). The scanners are in engine/scanners/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringfence {

enum class Language : uint8_t { kNone, kCpp, kPython, kJavaScript, kGo, kJava };

const char* ToString(Language lang);
// Language of a file by its name; kNone for files no scanner reads.
Language LanguageOf(std::string_view path);

struct ImportRef {
  enum Flags : uint8_t {
    kAngle = 1,     // C/C++ #include <...>
    kOptional = 2,  // may name a symbol rather than a module (Python `from x import name`)
  };
  std::string spec;  // as written: "util/log.h", "..pkg.mod", "./x", "example.com/m/p", "a.b.C"
  uint32_t line = 0;
  uint8_t flags = 0;
  // The condition the import is compiled under, in the source's syntax ("defined(_WIN32)",
  // "(A) && !(B)"); "" when unconditional. C/C++ only; include guards are not conditions.
  std::string condition;
};

struct FileScan {
  Language language = Language::kNone;
  std::vector<ImportRef> imports;
  std::string package;  // declared package (Java `package a.b;`, Go `package x`)
  // Go: the file's build constraint, as `//go:build` writes it ("linux && !cgo"; `// +build`
  // lines are translated); "" when it has none.
  std::string build_constraint;
  // C/C++: platform macros (see IsPlatformMacro) this file #defines or #undefs; for every build
  // such a macro is then unknown.
  std::vector<std::string> platform_macros;
  // Why this file's imports are unknown ("" when it was scanned): too large, or no text. Such a
  // scan is never cached, and makes the scope indeterminate (its edges may be missing).
  std::string unscanned;
};

}  // namespace ringfence
