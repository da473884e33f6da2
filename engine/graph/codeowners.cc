#include "engine/graph/codeowners.h"

namespace ringfence {
namespace {

// Splits a line on unescaped whitespace; stops at an unescaped '#' (inline comment).
std::vector<std::pair<std::string, int>> Tokens(std::string_view line) {
  std::vector<std::pair<std::string, int>> out;
  std::string cur;
  int start = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size()) {
      if (cur.empty()) start = static_cast<int>(i);
      // "\#" and "\ " stand for the literal character; other escapes stay for the glob.
      if (line[i + 1] == '#' || line[i + 1] == ' ') {
        cur += line[++i];
      } else {
        cur += c;
        cur += line[++i];
      }
      continue;
    }
    if (c == '#' && cur.empty()) break;
    if (c == ' ' || c == '\t' || c == '\r') {
      if (!cur.empty()) out.emplace_back(std::move(cur), start);
      cur.clear();
      continue;
    }
    if (cur.empty()) start = static_cast<int>(i);
    cur += c;
  }
  if (!cur.empty()) out.emplace_back(std::move(cur), start);
  return out;
}

bool LooksLikeOwner(const std::string& s) {
  if (s.size() > 1 && s[0] == '@') return true;
  size_t at = s.find('@');
  return at != std::string::npos && at > 0 && s.find('.', at) != std::string::npos;
}

}  // namespace

Result<Codeowners> Codeowners::Parse(std::string_view text, const std::string& path) {
  Codeowners co;
  co.path_ = path;
  int lineno = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++lineno;
    auto tokens = Tokens(line);
    if (tokens.empty()) continue;
    // GitLab-style section headers are not GitHub syntax: reject rather than misread them.
    if (tokens[0].first[0] == '[' ||
        (tokens[0].first[0] == '^' && tokens[0].first.size() > 1 && tokens[0].first[1] == '[')) {
      return Error::InvalidInput(Position(path, lineno, tokens[0].second + 1) +
                                 "section headers are not supported by GitHub CODEOWNERS");
    }
    auto glob = PathGlob::Parse(tokens[0].first);
    if (!glob)
      return Error::InvalidInput(Position(path, lineno, tokens[0].second + 1) + glob.error().message);
    CodeownersRule rule;
    rule.line = lineno;
    rule.pattern = tokens[0].first;
    for (size_t i = 1; i < tokens.size(); ++i) {
      if (!LooksLikeOwner(tokens[i].first)) {
        return Error::InvalidInput(Position(path, lineno, tokens[i].second + 1) + "'" + tokens[i].first +
                                   "' is not an owner (@user, @org/team or e-mail)");
      }
      rule.owners.push_back(tokens[i].first);
    }
    co.rules_.push_back(std::move(rule));
    co.globs_.Add(std::move(*glob));
  }
  return co;
}

const CodeownersRule* Codeowners::RuleFor(std::string_view file) {
  int i = globs_.LastMatch(file);
  return i < 0 ? nullptr : &rules_[static_cast<size_t>(i)];
}

}  // namespace ringfence
