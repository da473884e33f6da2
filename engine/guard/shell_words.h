// A shell command line split as a POSIX shell splits it, without running or expanding anything:
// quotes and escapes removed, lists (`;`, `&&`, `||`, `&`, newlines) and pipelines cut into simple
// commands, redirections taken apart. What a splitter cannot make safe makes the whole line
// opaque, with the reason: command or process substitution, `eval`-like compound commands
// (subshells, groups, if/for/while/case, functions), here-documents, ANSI-C quoting, unterminated
// quotes. A word that expands a variable is marked dynamic (its value is the caller's, not
// known here), an unquoted glob or brace expansion is marked a pattern.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringfence {

struct ShellWord {
  std::string text;      // with quotes and escapes removed
  bool dynamic = false;  // expands $NAME, ${...}, $1, $? ... (unquoted or in double quotes)
  bool pattern = false;  // an unquoted *, ?, [ or {: the shell may expand it to other words
};

struct ShellRedirect {
  std::string op;    // ">", ">>", ">|", "<", "<>", "&>", "&>>", "<<<", ">&", "<&"
  ShellWord target;  // a file, or a descriptor ("1", "-") for ">&" and "<&"
};

struct SimpleCommand {
  std::vector<ShellWord> words;  // assignments (NAME=value) first, as written
  std::vector<ShellRedirect> redirects;
};

struct ShellScript {
  std::vector<SimpleCommand> commands;  // in order; pipeline stages and list members alike
  std::optional<std::string> opaque;    // set: the commands are not all there is
};

inline constexpr size_t kMaxShellLine = 1u << 20;

ShellScript SplitShell(std::string_view line);

// A word as SplitShell (and a shell) reads it back as itself: unchanged when every character is
// one no shell treats specially, else single-quoted (' written as '\'').
std::string ShellQuoted(std::string_view word);

// argv as one line of ShellQuoted words that a shell splits back into argv.
std::string ShellLine(const std::vector<std::string>& argv);

}  // namespace ringfence
