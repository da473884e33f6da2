// Python: `import a.b as c, d`, `from x import (a, b)`, relative `from ..pkg import m`.
// Statements may continue over lines with parentheses or a backslash; imports inside
// triple-quoted strings and comments are ignored.
#include <vector>

#include "engine/scanners/file_scan.h"

namespace ringfence {
namespace {

bool IsNameChar(char c) {
  return c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Splits "a.b as c, d" into dotted names, dropping aliases and parentheses.
std::vector<std::string> Names(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool alias = false;
  auto flush = [&] {
    if (!cur.empty() && !alias) out.push_back(cur);
    cur.clear();
  };
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ',') {
      flush();
      alias = false;
      ++i;
      continue;
    }
    if (IsNameChar(c) || c == '*') {
      size_t j = i;
      while (j < s.size() && (IsNameChar(s[j]) || s[j] == '*')) ++j;
      std::string_view word = s.substr(i, j - i);
      if (word == "as") {
        flush();
        alias = true;
      } else if (cur.empty() && !alias) {
        cur = std::string(word);
      }
      i = j;
      continue;
    }
    ++i;
  }
  flush();
  return out;
}

void ParseStatement(std::string_view stmt, uint32_t line, FileScan& out) {
  std::string_view t = TrimLeft(stmt);
  if (StartsWithWord(t, "import")) {
    for (auto& n : Names(t.substr(6))) out.imports.push_back({n, line, 0, {}});
    return;
  }
  if (!StartsWithWord(t, "from")) return;
  std::string_view rest = TrimLeft(t.substr(4));
  size_t i = 0;
  while (i < rest.size() && (IsNameChar(rest[i]))) ++i;
  std::string module(rest.substr(0, i));
  rest = TrimLeft(rest.substr(i));
  if (module.empty() || !StartsWithWord(rest, "import")) return;
  out.imports.push_back({module, line, 0, {}});
  for (auto& n : Names(rest.substr(6))) {
    if (n == "*" || n.find('.') != std::string::npos) continue;
    std::string sub = module.back() == '.' ? module + n : module + "." + n;
    out.imports.push_back({sub, line, ImportRef::kOptional, {}});
  }
}

// Removes a trailing comment, respecting quotes on the line.
std::string_view CodePart(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '#') {
      return line.substr(0, i);
    }
  }
  return line;
}

// Returns the triple-quote delimiter left open at the end of `line`, or "" when none.
std::string_view OpenTriple(std::string_view line, std::string_view open) {
  size_t i = 0;
  while (i < line.size()) {
    if (!open.empty()) {
      size_t end = line.find(open, i);
      if (end == std::string_view::npos) return open;
      i = end + 3;
      open = {};
      continue;
    }
    char c = line[i];
    if (c == '#') return {};
    if (c == '"' || c == '\'') {
      if (line.substr(i, 3) == "\"\"\"" || line.substr(i, 3) == "'''") {
        open = line.substr(i, 3);
        i += 3;
        continue;
      }
      size_t j = i + 1;
      while (j < line.size() && line[j] != c) j += line[j] == '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    ++i;
  }
  return open;
}

}  // namespace

void ScanPython(std::string_view content, FileScan& out) {
  std::vector<std::pair<std::string_view, uint32_t>> lines;
  ForEachLine(content, [&](std::string_view l, uint32_t n) { lines.emplace_back(l, n); });
  std::string_view triple;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i].first;
    if (!triple.empty()) {
      triple = OpenTriple(line, triple);
      continue;
    }
    std::string_view t = TrimLeft(line);
    if (StartsWithWord(t, "import") || StartsWithWord(t, "from")) {
      std::string stmt(CodePart(t));
      uint32_t start_line = lines[i].second;
      int depth = 0;
      for (char c : stmt) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      while ((depth > 0 || (!stmt.empty() && stmt.back() == '\\')) && i + 1 < lines.size()) {
        if (!stmt.empty() && stmt.back() == '\\') stmt.pop_back();
        std::string_view next = CodePart(lines[++i].first);
        for (char c : next) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        stmt += " ";
        stmt += next;
      }
      // `import a; import b` on one line.
      size_t start = 0;
      while (start <= stmt.size()) {
        size_t semi = stmt.find(';', start);
        std::string_view part(stmt.data() + start, (semi == std::string::npos ? stmt.size() : semi) - start);
        ParseStatement(part, start_line, out);
        if (semi == std::string::npos) break;
        start = semi + 1;
      }
      continue;
    }
    triple = OpenTriple(line, {});
  }
}

}  // namespace ringfence
