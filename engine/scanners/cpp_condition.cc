#include "engine/scanners/cpp_condition.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ringfence {
namespace {

bool IdentChar(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct Token {
  enum Kind { kNumber, kIdent, kOp, kOther, kEnd } kind = kEnd;
  std::string_view text;
  int64_t value = 0;
};

// Splits a condition into tokens; kOther for what the evaluator does not model (strings,
// character literals), which makes the expression unknown.
std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      ++i;
    } else if (c >= '0' && c <= '9') {
      size_t start = i;
      while (i < s.size() && (IdentChar(s[i]) || s[i] == '\'')) ++i;
      std::string digits;
      for (char d : s.substr(start, i - start)) {
        if (d != '\'') digits += d;
      }
      while (!digits.empty() &&
             (digits.back() == 'u' || digits.back() == 'U' || digits.back() == 'l' || digits.back() == 'L')) {
        digits.pop_back();
      }
      Token t{Token::kNumber, s.substr(start, i - start), 0};
      int base = 10;
      size_t at = 0;
      if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        base = 16;
        at = 2;
      } else if (digits.size() > 1 && digits[0] == '0' && (digits[1] == 'b' || digits[1] == 'B')) {
        base = 2;
        at = 2;
      } else if (digits.size() > 1 && digits[0] == '0') {
        base = 8;
        at = 1;
      }
      uint64_t v = 0;
      bool ok = at < digits.size();
      for (; at < digits.size() && ok; ++at) {
        char d = digits[at];
        int dv = d >= '0' && d <= '9'   ? d - '0'
                 : d >= 'a' && d <= 'f' ? d - 'a' + 10
                 : d >= 'A' && d <= 'F' ? d - 'A' + 10
                                        : 99;
        if (dv >= base || v > (UINT64_MAX - static_cast<uint64_t>(dv)) / static_cast<uint64_t>(base))
          ok = false;
        v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(dv);
      }
      if (!ok) t.kind = Token::kOther;
      t.value = static_cast<int64_t>(v);
      out.push_back(t);
    } else if (IdentChar(c)) {
      size_t start = i;
      while (i < s.size() && IdentChar(s[i])) ++i;
      out.push_back({Token::kIdent, s.substr(start, i - start), 0});
    } else {
      static constexpr std::string_view kTwo[] = {"&&", "||", "==", "!=", "<=", ">=", "<<", ">>"};
      size_t len = 1;
      for (auto op : kTwo) {
        if (s.substr(i, 2) == op) len = 2;
      }
      bool known = len == 2 || std::string_view("()!~+-*/%<>&^|?:,").find(c) != std::string_view::npos;
      out.push_back({known ? Token::kOp : Token::kOther, s.substr(i, len), 0});
      i += len;
    }
  }
  return out;
}

// A value the evaluator knows, or nullopt.
using Value = std::optional<int64_t>;

class Evaluator {
 public:
  Evaluator(std::vector<Token> tokens, const MacroScope& scope, int depth)
      : t_(std::move(tokens)), scope_(scope), depth_(depth) {}

  // nullopt when the value depends on an unknown; `ok` false when the text does not parse.
  Value Run(bool& ok) {
    Value v = Conditional();
    ok = ok_ && pos_ == t_.size();
    return v;
  }

 private:
  const Token& Peek() const {
    static const Token kEndToken;
    return pos_ < t_.size() ? t_[pos_] : kEndToken;
  }
  bool IsOp(std::string_view op) const { return Peek().kind == Token::kOp && Peek().text == op; }
  bool Accept(std::string_view op) {
    if (!IsOp(op)) return false;
    ++pos_;
    return true;
  }
  void Expect(std::string_view op) {
    if (!Accept(op)) ok_ = false;
  }

  // Nesting is bounded: deeper text is unknown, never a deep recursion.
  template <class Parse>
  Value Nested(Parse parse) {
    if (++nesting_ > kMaxNesting) {
      ok_ = false;
      pos_ = t_.size();
      return std::nullopt;
    }
    Value v = (this->*parse)();
    --nesting_;
    return v;
  }

  Value Conditional() { return Nested(&Evaluator::ConditionalAt); }
  Value ConditionalAt() {
    Value c = LogicalOr();
    if (!Accept("?")) return c;
    Value a = Conditional();
    Expect(":");
    Value b = Conditional();
    if (c) return *c ? a : b;
    return a && b && *a == *b ? a : std::nullopt;
  }
  Value LogicalOr() {
    Value v = LogicalAnd();
    while (Accept("||")) {
      Value r = LogicalAnd();
      if ((v && *v) || (r && *r))
        v = 1;
      else if (v && r)
        v = 0;
      else
        v = std::nullopt;
    }
    return v;
  }
  Value LogicalAnd() {
    Value v = Binary(0);
    while (Accept("&&")) {
      Value r = Binary(0);
      if ((v && !*v) || (r && !*r))
        v = 0;
      else if (v && r)
        v = 1;
      else
        v = std::nullopt;
    }
    return v;
  }
  // Binary operators above && by precedence level: | ^ & (== !=) (< > <= >=) (<< >>) (+ -) (* / %).
  Value Binary(int level) {
    static const std::vector<std::vector<std::string_view>> kLevels = {
        {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};
    if (level == static_cast<int>(kLevels.size())) return Unary();
    Value v = Binary(level + 1);
    while (true) {
      std::string_view op;
      for (auto candidate : kLevels[static_cast<size_t>(level)]) {
        if (IsOp(candidate)) op = candidate;
      }
      if (op.empty()) return v;
      ++pos_;
      Value r = Binary(level + 1);
      v = Apply(op, v, r);
    }
  }
  static Value Apply(std::string_view op, Value a, Value b) {
    if (!a || !b) return std::nullopt;
    int64_t x = *a, y = *b;
    if (op == "|") return x | y;
    if (op == "^") return x ^ y;
    if (op == "&") return x & y;
    if (op == "==") return x == y;
    if (op == "!=") return x != y;
    if (op == "<") return x < y;
    if (op == ">") return x > y;
    if (op == "<=") return x <= y;
    if (op == ">=") return x >= y;
    if (op == "<<" || op == ">>") {
      if (y < 0 || y > 62) return std::nullopt;
      return op == "<<" ? static_cast<int64_t>(static_cast<uint64_t>(x) << y) : x >> y;
    }
    if (op == "+") return static_cast<int64_t>(static_cast<uint64_t>(x) + static_cast<uint64_t>(y));
    if (op == "-") return static_cast<int64_t>(static_cast<uint64_t>(x) - static_cast<uint64_t>(y));
    if (op == "*") return static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y));
    if (y == 0 || (x == INT64_MIN && y == -1)) return std::nullopt;
    return op == "/" ? x / y : x % y;
  }
  Value Unary() { return Nested(&Evaluator::UnaryAt); }
  Value UnaryAt() {
    if (Accept("!")) {
      Value v = Unary();
      return v ? Value(!*v) : std::nullopt;
    }
    if (Accept("~")) {
      Value v = Unary();
      return v ? Value(~*v) : std::nullopt;
    }
    if (Accept("-")) {
      Value v = Unary();
      return v ? Value(static_cast<int64_t>(0 - static_cast<uint64_t>(*v))) : std::nullopt;
    }
    if (Accept("+")) return Unary();
    return Primary();
  }
  Value Primary() {
    const Token tok = Peek();
    if (tok.kind == Token::kEnd || tok.kind == Token::kOther) {
      ok_ = false;
      ++pos_;
      return std::nullopt;
    }
    ++pos_;
    if (tok.kind == Token::kNumber) return tok.value;
    if (tok.kind == Token::kOp) {
      if (tok.text != "(") {
        ok_ = false;
        return std::nullopt;
      }
      Value v = Conditional();
      Expect(")");
      return v;
    }
    std::string name(tok.text);
    if (name == "defined") {
      bool paren = Accept("(");
      if (Peek().kind != Token::kIdent) {
        ok_ = false;
        return std::nullopt;
      }
      std::string macro(Peek().text);
      ++pos_;
      if (paren) Expect(")");
      if (scope_.defined.count(macro)) return 1;
      if (scope_.undefined.count(macro)) return 0;
      return std::nullopt;
    }
    if (IsOp("(")) {  // a function-like macro or __has_include(...): not modelled
      SkipParenthesised();
      return std::nullopt;
    }
    if (scope_.undefined.count(name)) return 0;
    auto it = scope_.defined.find(name);
    if (it == scope_.defined.end() || depth_ >= 16) return std::nullopt;
    Evaluator inner(Tokenize(it->second), scope_, depth_ + 1);
    bool ok = true;
    Value v = inner.Run(ok);
    return ok ? v : std::nullopt;
  }
  void SkipParenthesised() {
    int depth = 0;
    do {
      if (IsOp("(")) ++depth;
      if (IsOp(")")) --depth;
      ++pos_;
    } while (depth > 0 && pos_ < t_.size());
    if (depth > 0) ok_ = false;
  }

  std::vector<Token> t_;
  const MacroScope& scope_;
  static constexpr int kMaxNesting = 256;
  int depth_;
  int nesting_ = 0;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

Tristate EvaluateCppCondition(std::string_view expr, const MacroScope& scope) {
  Evaluator e(Tokenize(expr), scope, 0);
  bool ok = true;
  Value v = e.Run(ok);
  if (!ok || !v) return Tristate::kUnknown;
  return *v ? Tristate::kTrue : Tristate::kFalse;
}

}  // namespace ringfence
