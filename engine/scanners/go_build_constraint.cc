#include "engine/scanners/go_build_constraint.h"

#include <cctype>

namespace ringfence {
namespace {

bool SystemMatches(std::string_view name, const Platform& p) {
  return name == p.os || (name == "linux" && p.os == "android") || (name == "solaris" && p.os == "illumos") ||
         (name == "darwin" && p.os == "ios");
}

Tristate Tag(std::string_view tag, const Platform& p) {
  if (SystemMatches(tag, p) || tag == p.arch || tag == "gc") return Tristate::kTrue;
  if (tag == "unix") return IsUnixGoos(p.os) ? Tristate::kTrue : Tristate::kFalse;
  if (tag == "cgo") return Tristate::kUnknown;
  if (tag.size() > 4 && tag.substr(0, 4) == "go1.") return Tristate::kTrue;
  return Tristate::kFalse;
}

// Recursive descent over `||`, `&&`, `!`, parentheses and tags; `ok` false on a syntax error.
class Expression {
 public:
  Expression(std::string_view s, const Platform& p) : s_(s), p_(p) {}
  Tristate Run(bool& ok) {
    Tristate v = Or();
    Skip();
    ok = ok_ && i_ == s_.size();
    return v;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool Accept(std::string_view op) {
    Skip();
    if (s_.substr(i_, op.size()) != op) return false;
    i_ += op.size();
    return true;
  }
  Tristate Or() {
    Tristate v = And();
    while (ok_ && Accept("||")) v = ringfence::Or(v, And());
    return v;
  }
  Tristate And() {
    Tristate v = Unary();
    while (ok_ && Accept("&&")) v = ringfence::And(v, Unary());
    return v;
  }
  Tristate Unary() {
    if (++nesting_ > 256) {  // deeper text is malformed for us, never a deep recursion
      ok_ = false;
      i_ = s_.size();
      return Tristate::kUnknown;
    }
    Tristate v = UnaryAt();
    --nesting_;
    return v;
  }
  Tristate UnaryAt() {
    if (Accept("!")) return Not(Unary());
    if (Accept("(")) {
      Tristate v = Or();
      if (!Accept(")")) ok_ = false;
      return v;
    }
    Skip();
    size_t start = i_;
    while (i_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' || s_[i_] == '.'))
      ++i_;
    if (i_ == start) {
      ok_ = false;
      return Tristate::kUnknown;
    }
    return Tag(s_.substr(start, i_ - start), p_);
  }

  std::string_view s_;
  const Platform& p_;
  size_t i_ = 0;
  int nesting_ = 0;
  bool ok_ = true;
};

}  // namespace

Tristate GoFileInBuild(std::string_view path, std::string_view constraint, const Platform& p) {
  std::string_view name = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (size_t dot = name.find('.'); dot != std::string_view::npos) name = name.substr(0, dot);
  Tristate by_name = Tristate::kTrue;
  if (size_t underscore = name.find('_'); underscore != std::string_view::npos) {
    std::vector<std::string_view> parts;  // the first is "" or the name's leading element
    std::string_view rest = name.substr(underscore);
    for (size_t at = 0; at <= rest.size();) {
      size_t next = rest.find('_', at);
      if (next == std::string_view::npos) next = rest.size();
      parts.push_back(rest.substr(at, next - at));
      at = next + 1;
    }
    if (!parts.empty() && parts.back() == "test") parts.pop_back();
    size_t n = parts.size();
    if (n >= 3 && IsKnownGoos(parts[n - 2]) && IsKnownGoarch(parts[n - 1])) {
      by_name = SystemMatches(parts[n - 2], p) && parts[n - 1] == p.arch ? Tristate::kTrue : Tristate::kFalse;
    } else if (n >= 2 && IsKnownGoos(parts[n - 1])) {
      by_name = SystemMatches(parts[n - 1], p) ? Tristate::kTrue : Tristate::kFalse;
    } else if (n >= 2 && IsKnownGoarch(parts[n - 1])) {
      by_name = parts[n - 1] == p.arch ? Tristate::kTrue : Tristate::kFalse;
    }
  }
  if (by_name == Tristate::kFalse || constraint.empty()) return by_name;
  bool ok = true;
  Tristate v = Expression(constraint, p).Run(ok);
  return ok ? v : Tristate::kUnknown;
}

std::string GoPlusBuildToExpression(const std::vector<std::string>& lines) {
  std::vector<std::pair<std::string, size_t>> conjuncts;  // each line's expression, its options
  for (const auto& line : lines) {
    std::string any;
    size_t options = 0;
    for (size_t at = 0; at < line.size();) {
      while (at < line.size() && line[at] == ' ') ++at;
      size_t end = line.find(' ', at);
      if (end == std::string::npos) end = line.size();
      if (end == at) break;
      std::string option = line.substr(at, end - at), all;
      size_t terms = 0;
      for (size_t t = 0; t <= option.size();) {
        size_t comma = option.find(',', t);
        if (comma == std::string::npos) comma = option.size();
        std::string term = option.substr(t, comma - t);
        if (!term.empty()) {
          all += (terms++ ? " && " : "") + term;
        }
        t = comma + 1;
      }
      if (terms) {
        any += (options++ ? " || " : "") + (terms > 1 ? "(" + all + ")" : all);
      }
      at = end;
    }
    if (options) conjuncts.emplace_back(any, options);
  }
  std::string expr;
  for (const auto& [any, options] : conjuncts) {
    bool wrap = conjuncts.size() > 1 && options > 1;
    expr += (expr.empty() ? "" : " && ") + (wrap ? "(" + any + ")" : any);
  }
  return expr;
}

}  // namespace ringfence
