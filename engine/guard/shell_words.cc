#include "engine/guard/shell_words.h"

#include <algorithm>
#include <array>

namespace ringfence {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsOperatorStart(char c) {
  return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')';
}
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsSpecialParameter(char c) {
  return (c >= '0' && c <= '9') || c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' ||
         c == '!';
}

// Reserved words that open compound commands the guard does not read.
bool IsReserved(const std::string& w) {
  static const std::array<const char*, 17> kWords = {"if",   "then",     "else",   "elif",  "fi",    "do",
                                                     "done", "case",     "esac",   "while", "until", "for",
                                                     "in",   "function", "select", "[[",    "!"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return w == "{" || w == "}" || w == "]]";
}

class Splitter {
 public:
  explicit Splitter(std::string_view s) : s_(s) {}

  ShellScript Run() {
    if (s_.size() > kMaxShellLine) return Opaque("the command line is longer than 1 MiB");
    while (i_ < s_.size() && !out_.opaque) Step();
    if (!out_.opaque) {
      if (in_word_) EndWord();
      EndCommand();
    }
    if (out_.opaque) out_.commands.clear();
    return std::move(out_);
  }

 private:
  ShellScript Opaque(std::string why) {
    if (!out_.opaque) out_.opaque = std::move(why);
    return std::move(out_);
  }
  void SetOpaque(std::string why) {
    if (!out_.opaque) out_.opaque = std::move(why);
  }

  void Step() {
    char c = s_[i_];
    if (c == '\0') return SetOpaque("the command line holds a NUL byte");
    if (IsBlank(c)) {
      if (in_word_) EndWord();
      ++i_;
      return;
    }
    if (c == '\n') {
      if (in_word_) EndWord();
      EndCommand();
      ++i_;
      return;
    }
    if (c == '#' && !in_word_) {  // a comment to the end of the line
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return;
    }
    if (IsOperatorStart(c)) {
      // An io number: digits right before < or > ("2>").
      if ((c == '<' || c == '>') && in_word_ && !word_.text.empty() && !quoted_ && AllDigits(word_.text)) {
        word_ = {};
        in_word_ = false;
        return Redirection();
      }
      if (in_word_) EndWord();
      return Operator();
    }
    in_word_ = true;
    if (c == '\'') return SingleQuoted();
    if (c == '"') return DoubleQuoted();
    if (c == '\\') {
      if (i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {  // a line continuation
        i_ += 2;
        return;
      }
      if (i_ + 1 < s_.size()) word_.text += s_[i_ + 1];
      quoted_ = true;
      i_ += 2;
      return;
    }
    if (c == '`') return SetOpaque("it runs a command substitution (`...`)");
    if (c == '$') return Dollar(false);
    if (c == '*' || c == '?' || c == '[' || c == '{' || c == '}') word_.pattern = true;
    word_.text += c;
    ++i_;
  }

  static bool AllDigits(const std::string& t) {
    for (char c : t) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  void SingleQuoted() {
    size_t end = s_.find('\'', i_ + 1);
    if (end == std::string_view::npos) return SetOpaque("a single quote is not closed");
    word_.text.append(s_.substr(i_ + 1, end - i_ - 1));
    quoted_ = true;
    i_ = end + 1;
  }

  void DoubleQuoted() {
    quoted_ = true;
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return;
      }
      if (c == '\\' && i_ + 1 < s_.size()) {
        char n = s_[i_ + 1];
        if (n == '$' || n == '`' || n == '"' || n == '\\') {
          word_.text += n;
        } else if (n != '\n') {
          word_.text += '\\';
          word_.text += n;
        }
        i_ += 2;
        continue;
      }
      if (c == '`') return SetOpaque("it runs a command substitution (`...`)");
      if (c == '$') {
        Dollar(true);
        if (out_.opaque) return;
        continue;
      }
      word_.text += c;
      ++i_;
    }
    SetOpaque("a double quote is not closed");
  }

  // At a '$': substitutions make the line opaque, parameters make the word dynamic.
  void Dollar(bool in_double_quotes) {
    char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (n == '(') return SetOpaque("it runs a command substitution or arithmetic ($(...))");
    if (n == '\'' && !in_double_quotes)
      return SetOpaque("it uses ANSI-C quoting ($'...'), which the guard does not read");
    if (n == '"' && !in_double_quotes) return SetOpaque("it uses locale quoting ($\"...\")");
    if (n == '{') {
      size_t end = s_.find('}', i_ + 2);
      if (end == std::string_view::npos) return SetOpaque("a ${ is not closed");
      std::string_view inner = s_.substr(i_ + 2, end - i_ - 2);
      if (inner.find_first_of("`$(") != std::string_view::npos)
        return SetOpaque("a parameter expansion runs or nests substitutions");
      word_.text.append(s_.substr(i_, end - i_ + 1));
      word_.dynamic = true;
      i_ = end + 1;
      return;
    }
    if (IsNameStart(n)) {
      size_t j = i_ + 1;
      while (j < s_.size() && (IsNameStart(s_[j]) || (s_[j] >= '0' && s_[j] <= '9'))) ++j;
      word_.text.append(s_.substr(i_, j - i_));
      word_.dynamic = true;
      i_ = j;
      return;
    }
    if (IsSpecialParameter(n)) {
      word_.text.append(s_.substr(i_, 2));
      word_.dynamic = true;
      i_ += 2;
      return;
    }
    word_.text += '$';  // a lone $ is itself
    ++i_;
  }

  void Operator() {
    char c = s_[i_];
    char n = i_ + 1 < s_.size() ? s_[i_ + 1] : '\0';
    if (c == '(' || c == ')') return SetOpaque("it runs a subshell or a function definition ( ... )");
    if (c == ';') {
      if (n == ';' || n == '&') return SetOpaque("it holds a case clause (;;)");
      EndCommand();
      ++i_;
      return;
    }
    if (c == '|') {
      EndCommand();
      i_ += (n == '|' || n == '&') ? 2 : 1;
      return;
    }
    if (c == '&') {
      if (n == '>') return Redirection();
      EndCommand();
      i_ += n == '&' ? 2 : 1;
      return;
    }
    Redirection();
  }

  // At '<', '>' or "&>": the operator, then its target word.
  void Redirection() {
    std::string op;
    auto take = [&](std::string_view o) {
      if (s_.substr(i_, o.size()) == o) {
        op = std::string(o);
        i_ += o.size();
        return true;
      }
      return false;
    };
    if (s_.substr(i_, 2) == "<(" || s_.substr(i_, 2) == ">(")
      return SetOpaque("it uses process substitution (<(...) or >(...))");
    if (s_.substr(i_, 3) == "<<<") {
      take("<<<");
    } else if (s_.substr(i_, 2) == "<<") {
      return SetOpaque("it holds a here-document (<<), whose text the guard does not read");
    } else if (!(take("&>>") || take("&>") || take(">>") || take(">|") || take(">&") || take("<&") ||
                 take("<>") || take(">") || take("<"))) {
      ++i_;
      return;
    }
    while (i_ < s_.size() && IsBlank(s_[i_])) ++i_;
    if (i_ >= s_.size() || s_[i_] == '\n' || IsOperatorStart(s_[i_]))
      return SetOpaque("a redirection (" + op + ") has no target");
    // The target is the next word, read with the same rules.
    ShellWord saved = std::move(word_);
    bool saved_quoted = quoted_;
    word_ = {};
    quoted_ = false;
    in_word_ = true;
    while (i_ < s_.size() && !out_.opaque && !IsBlank(s_[i_]) && s_[i_] != '\n' && !IsOperatorStart(s_[i_]))
      Step();
    ShellRedirect r{op, std::move(word_)};
    command_.redirects.push_back(std::move(r));
    word_ = std::move(saved);
    quoted_ = saved_quoted;
    in_word_ = false;
  }

  void EndWord() {
    if (command_.words.empty() && !quoted_ && IsReserved(word_.text))
      SetOpaque("it is a shell compound command (" + word_.text + " ...)");
    if (!quoted_ && word_.text == "{") SetOpaque("it is a shell group ({ ... })");
    command_.words.push_back(std::move(word_));
    word_ = {};
    quoted_ = false;
    in_word_ = false;
  }

  void EndCommand() {
    if (!command_.words.empty() || !command_.redirects.empty()) out_.commands.push_back(std::move(command_));
    command_ = {};
  }

  std::string_view s_;
  size_t i_ = 0;
  ShellWord word_;
  bool quoted_ = false;  // some part of the word was quoted or escaped
  bool in_word_ = false;
  SimpleCommand command_;
  ShellScript out_;
};

std::string SingleQuoted(std::string_view word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

ShellScript SplitShell(std::string_view line) { return Splitter(line).Run(); }

std::string ShellQuoted(std::string_view word) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_./:=@%+,").find(c) != std::string_view::npos;
  };
  if (!word.empty() && std::all_of(word.begin(), word.end(), plain)) return std::string(word);
  return SingleQuoted(word);
}

std::string ShellLine(const std::vector<std::string>& argv) {
  std::string out;
  for (size_t i = 0; i < argv.size(); ++i) {
    // A first word with '=' would read back as an assignment, not as the program.
    bool assignment = i == 0 && argv[i].find('=') != std::string::npos;
    out += (i ? " " : "") + (assignment ? SingleQuoted(argv[i]) : ShellQuoted(argv[i]));
  }
  return out;
}

}  // namespace ringfence
