#include "engine/rules/author.h"

#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {

std::vector<std::pair<std::string, std::string>> ParseTrailers(const std::string& message) {
  // The last paragraph, if every line in it is "Token: value" (continuation lines start with space).
  std::string msg = message;
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  size_t start = msg.rfind("\n\n");
  if (start == std::string::npos) return {};
  std::string block = msg.substr(start + 2);
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= block.size()) {
    size_t nl = block.find('\n', pos);
    std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? block.size() + 1 : nl + 1;
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      size_t text = line.find_first_not_of(" \t");
      if (out.empty() || text == std::string::npos) return {};  // not a trailer block
      out.back().second += " " + line.substr(text);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return {};
    std::string key = line.substr(0, colon);
    for (char c : key) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return {};
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    out.emplace_back(key, value);
  }
  return out;
}

void ClassifyAuthor(ChangeFacts& facts, const AuthorConfig& config) {
  using matchers::NameMatches;
  bool ai = false, bot = false;
  std::string evidence;
  auto note = [&](const std::string& why) {
    if (evidence.empty()) evidence = why;
  };
  auto add_agent = [&](const std::string& a) {
    for (const auto& have : facts.agents) {
      if (have == a) return;
    }
    facts.agents.push_back(a);
  };
  for (const auto& c : facts.scope.changes.commits) {
    auto trailers = c.trailers.empty() ? ParseTrailers(c.message) : c.trailers;
    std::string short_id = c.id.substr(0, 12);
    for (const auto& [k, v] : trailers) {
      bool key_is_ai = false;
      for (const auto& t : config.ai_trailers) {
        if (NameMatches({t}, k)) key_is_ai = true;
      }
      bool value_is_ai = NameMatches(config.ai_trailer_values, v);
      if (key_is_ai || ((k == "Co-authored-by" || k == "Co-Authored-By") && value_is_ai)) {
        ai = true;
        add_agent(v);
        note("commit " + short_id + " has trailer " + k + ": " + v);
      }
    }
    for (const auto& who : {c.author_name, c.author_email, c.committer_name, c.committer_email}) {
      if (who.empty()) continue;
      if (NameMatches(config.ai_names, who)) {
        ai = true;
        add_agent(who);
        note("commit " + short_id + " by " + who);
      } else if (NameMatches(config.bot_names, who)) {
        bot = true;
        if (!ai) note("commit " + short_id + " by bot " + who);
      }
    }
  }
  if (!facts.branch.empty() && NameMatches(config.ai_branches, facts.branch)) {
    ai = true;
    note("branch " + facts.branch);
  }
  for (const auto& l : facts.labels) {
    for (const auto& want : config.ai_labels) {
      if (l == want) {
        ai = true;
        note("label " + l);
      }
    }
  }
  facts.author_kind = ai ? AuthorKind::kAi : bot ? AuthorKind::kBot : AuthorKind::kHuman;
  facts.author_evidence = (ai || bot) ? evidence : "";
}

}  // namespace ringfence
