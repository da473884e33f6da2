// JavaScript and TypeScript: `import ... from 'x'`, `import 'x'`, `export ... from 'x'`,
// `require('x')`, dynamic `import('x')`. A small tokenizer skips comments, strings and
// template literals so that an import written inside them is not taken for one.
#include "engine/scanners/file_scan.h"

namespace ringfence {
namespace {

bool IsIdent(char c) {
  return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct Lexer {
  std::string_view s;
  size_t i = 0;
  uint32_t line = 1;

  void SkipSpaceAndComments() {
    while (i < s.size()) {
      char c = s[i];
      if (c == '\n') {
        ++line;
        ++i;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
        while (i < s.size() && s[i] != '\n') ++i;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        i += 2;
        while (i + 1 < s.size() && !(s[i] == '*' && s[i + 1] == '/')) {
          if (s[i] == '\n') ++line;
          ++i;
        }
        i = i + 2 > s.size() ? s.size() : i + 2;
      } else {
        return;
      }
    }
  }

  // Reads a quoted string at i (', " or `); returns false if it is not a plain string.
  bool ReadString(std::string& value) {
    char q = s[i];
    size_t j = i + 1;
    value.clear();
    bool plain = true;
    while (j < s.size() && s[j] != q) {
      if (s[j] == '\\' && j + 1 < s.size()) {
        value += s[j + 1];
        j += 2;
        continue;
      }
      if (s[j] == '\n') {
        ++line;
        if (q != '`') break;
      }
      if (q == '`' && s[j] == '$' && j + 1 < s.size() && s[j + 1] == '{') plain = false;
      value += s[j++];
    }
    i = j < s.size() ? j + 1 : s.size();
    return plain;
  }
};

}  // namespace

void ScanJavaScript(std::string_view content, FileScan& out) {
  Lexer lx{content};
  // Tracks the keyword that makes the next string an import specifier.
  enum { kNone, kFrom, kImportKw, kCallOpen } expect = kNone;
  uint32_t kw_line = 0;
  bool after_import_kw = false;  // inside `import ... from`, before the string
  std::string value;
  while (true) {
    lx.SkipSpaceAndComments();
    if (lx.i >= content.size()) break;
    char c = content[lx.i];
    if (c == '\'' || c == '"' || c == '`') {
      uint32_t line = lx.line;
      bool plain = lx.ReadString(value);
      if ((expect == kFrom || expect == kImportKw || expect == kCallOpen) && plain && !value.empty()) {
        out.imports.push_back({value, expect == kFrom ? line : kw_line ? kw_line : line, 0, {}});
      }
      expect = kNone;
      after_import_kw = false;
      continue;
    }
    if (IsIdent(c)) {
      size_t j = lx.i;
      while (j < content.size() && IsIdent(content[j])) ++j;
      std::string_view word = content.substr(lx.i, j - lx.i);
      bool member = lx.i > 0 && content[lx.i - 1] == '.';
      lx.i = j;
      if (member) {
        expect = kNone;
        continue;
      }
      if (word == "import") {
        expect = kImportKw;  // `import 'x'` or `import(` or `import a from`
        kw_line = lx.line;
        after_import_kw = true;
      } else if (word == "require") {
        expect = kImportKw;
        kw_line = lx.line;
        after_import_kw = false;
      } else if (word == "from" && (after_import_kw || expect == kNone)) {
        expect = kFrom;
      } else if (word == "export") {
        after_import_kw = true;  // `export * from 'x'`, `export { a } from 'x'`
        expect = kNone;
      } else if (!after_import_kw) {
        expect = kNone;
      } else if (expect == kImportKw) {
        expect = kNone;  // `import a from ...`: wait for `from`
      }
      continue;
    }
    if (c == '(' && expect == kImportKw) {
      expect = kCallOpen;
      ++lx.i;
      continue;
    }
    if (c == ';') {
      after_import_kw = false;
      expect = kNone;
    } else if (!(after_import_kw && (c == '{' || c == '}' || c == ',' || c == '*'))) {
      expect = kNone;
      if (c != '{' && c != '}' && c != ',' && c != '*') after_import_kw = false;
    }
    ++lx.i;
  }
}

}  // namespace ringfence
