// C and C++: #include "x" / <x>, #include_next, Objective-C #import, each with the `#if` conditions
// around it. Block comments are skipped; a directive continued with a backslash is one directive.
#include <algorithm>
#include <cctype>

#include "engine/scanners/file_scan.h"
#include "engine/scanners/platform_macros.h"

namespace ringfence {
namespace {

// Conditions longer than this are cut, which makes them unknown to the evaluator (the include is
// then kept for every build).
constexpr size_t kMaxCondition = 1024;
constexpr size_t kMaxDepth = 64;

bool HasOperator(std::string_view s) { return s.find_first_of("!&|<>=?+-*/%^~ ") != std::string_view::npos; }

std::string Parenthesised(const std::string& s) { return HasOperator(s) ? "(" + s + ")" : s; }

// One `#if ... #endif` group: the branch the scanner is in, after the branches already passed.
struct Group {
  std::vector<std::string> passed;  // conditions of earlier branches
  std::string branch;               // this branch's condition; "" in #else
  bool guard_candidate = false;     // the file's first directive, `#ifndef X`, awaiting `#define X`
  bool guard = false;               // an include guard: no condition at all
  std::string guard_macro;

  std::string Condition() const {
    std::string c;
    for (const auto& p : passed) c += (c.empty() ? "!" : " && !") + Parenthesised(p);
    if (!branch.empty()) c += c.empty() ? branch : " && " + Parenthesised(branch);
    return c;
  }
};

// Directive text without comments and with runs of blanks as one space.
std::string CleanDirective(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 2) == "//") break;
    if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
      out += ' ';
      continue;
    }
    char c = s[i] == '\t' ? ' ' : s[i];
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string_view FirstWord(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == '_' || std::isalnum(static_cast<unsigned char>(s[i])))) ++i;
  return s.substr(0, i);
}

class CppScanner {
 public:
  explicit CppScanner(FileScan& out) : out_(out) {}

  void Directive(std::string_view text, uint32_t lineno) {
    std::string d = CleanDirective(text);
    std::string_view t = d;
    std::string_view word = FirstWord(t);
    std::string rest(Trim(t.substr(word.size())));
    if (word == "if" || word == "ifdef" || word == "ifndef") {
      Group g;
      g.branch = word == "if" ? rest : word == "ifdef" ? "defined(" + rest + ")" : "!defined(" + rest + ")";
      if (directives_ == 0) {
        g.guard_macro = GuardedMacro(word, rest);
        g.guard_candidate = !g.guard_macro.empty();
      }
      if (groups_.size() < kMaxDepth)
        groups_.push_back(std::move(g));
      else
        ++overflow_;  // deeper groups add no condition: their includes are kept
    } else if (word == "elif" || word == "elifdef" || word == "elifndef" || word == "else") {
      if (groups_.empty()) return;
      Group& g = groups_.back();
      g.guard = g.guard_candidate = false;
      g.passed.push_back(g.branch.empty() ? "1" : g.branch);
      g.branch = word == "elif"       ? rest
                 : word == "elifdef"  ? "defined(" + rest + ")"
                 : word == "elifndef" ? "!defined(" + rest + ")"
                                      : "";
    } else if (word == "endif") {
      if (overflow_ > 0)
        --overflow_;
      else if (!groups_.empty())
        groups_.pop_back();
    } else if (word == "define" || word == "undef") {
      std::string_view name = FirstWord(rest);
      if (directives_ == 1 && groups_.size() == 1 && groups_.back().guard_candidate && word == "define" &&
          name == groups_.back().guard_macro) {
        groups_.back().guard = true;
      }
      if (IsPlatformMacro(name) && std::find(out_.platform_macros.begin(), out_.platform_macros.end(),
                                             name) == out_.platform_macros.end()) {
        out_.platform_macros.emplace_back(name);
      }
    } else if (word == "include" || word == "include_next" || word == "import") {
      Include(rest, lineno);
    }
    if (word == "pragma" || word.empty()) return;  // `#pragma once` before a guard leaves it a guard
    if (directives_ >= 1 && !groups_.empty()) groups_.front().guard_candidate = false;
    ++directives_;
  }

 private:
  void Include(std::string_view rest, uint32_t lineno) {
    if (rest.empty() || (rest[0] != '"' && rest[0] != '<')) return;
    char close = rest[0] == '"' ? '"' : '>';
    size_t end = rest.find(close, 1);
    if (end == std::string_view::npos || end <= 1) return;
    ImportRef ref;
    ref.spec = std::string(rest.substr(1, end - 1));
    ref.line = lineno;
    ref.flags = close == '>' ? ImportRef::kAngle : 0;
    std::vector<std::string> parts;
    for (const auto& g : groups_) {
      if (g.guard) continue;
      std::string c = g.Condition();
      if (!c.empty()) parts.push_back(std::move(c));
    }
    if (parts.size() == 1) ref.condition = parts[0];
    for (size_t i = 0; parts.size() > 1 && i < parts.size(); ++i) {
      ref.condition += (i ? " && " : "") + Parenthesised(parts[i]);
    }
    if (ref.condition.size() > kMaxCondition) ref.condition.resize(kMaxCondition);
    out_.imports.push_back(std::move(ref));
  }

  // The macro an include guard tests: X of `#ifndef X` or `#if !defined(X)`, else "".
  static std::string GuardedMacro(std::string_view word, const std::string& rest) {
    if (word == "ifndef") return rest;
    if (word != "if") return {};
    std::string compact;
    for (char c : rest) {
      if (c != ' ') compact += c;
    }
    if (compact.rfind("!defined", 0) != 0) return {};
    std::string name = compact.substr(8);
    if (name.size() > 2 && name.front() == '(' && name.back() == ')') name = name.substr(1, name.size() - 2);
    return FirstWord(name) == name ? name : std::string();
  }

  FileScan& out_;
  std::vector<Group> groups_;
  size_t overflow_ = 0;
  size_t directives_ = 0;
};

}  // namespace

void ScanCpp(std::string_view content, FileScan& out) {
  CppScanner scanner(out);
  bool in_comment = false;
  std::string continued;  // a directive whose line ended in a backslash
  uint32_t directive_line = 0;
  ForEachLine(content, [&](std::string_view line, uint32_t lineno) {
    std::string_view s = line;
    if (!continued.empty()) {
      bool more = !s.empty() && s.back() == '\\';
      continued.append(s.substr(0, s.size() - (more ? 1 : 0)));
      if (more && continued.size() < 4 * kMaxCondition) return;
      scanner.Directive(continued, directive_line);
      continued.clear();
      return;
    }
    if (!LeaveBlockComment(s, in_comment)) return;
    std::string_view t = TrimLeft(s);
    if (!t.empty() && t[0] == '#') {
      t = TrimLeft(t.substr(1));
      if (!t.empty() && t.back() == '\\') {
        continued.assign(t.substr(0, t.size() - 1)).push_back(' ');
        directive_line = lineno;
        return;
      }
      scanner.Directive(t, lineno);
    }
    // Track a block comment that opens on this line and stays open.
    size_t pos = 0;
    while (true) {
      size_t open = s.find("/*", pos);
      if (open == std::string_view::npos) break;
      size_t line_comment = s.find("//", pos);
      if (line_comment != std::string_view::npos && line_comment < open) break;
      size_t close = s.find("*/", open + 2);
      if (close == std::string_view::npos) {
        in_comment = true;
        break;
      }
      pos = close + 2;
    }
  });
  if (!continued.empty()) scanner.Directive(continued, directive_line);
}

}  // namespace ringfence
