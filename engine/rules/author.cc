#include "engine/rules/author.h"

#include <sstream>

#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

using matchers::NameMatches;

bool SameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t\r"));
  size_t end = s.find_last_not_of(" \t\r");
  s.erase(end == std::string::npos ? 0 : end + 1);
  return s;
}

// "Name <email>" -> {name, email}; a bare value is a name.
std::pair<std::string, std::string> Person(const std::string& value) {
  size_t lt = value.find('<'), gt = value.rfind('>');
  if (lt == std::string::npos || gt == std::string::npos || gt < lt) return {Trim(value), ""};
  return {Trim(value.substr(0, lt)), Trim(value.substr(lt + 1, gt - lt - 1))};
}

// The agent a name or e-mail belongs to, or "".
std::string IdentityAgent(const AuthorConfig& config, const std::string& name, const std::string& email) {
  for (const auto& id : config.identities) {
    if ((!name.empty() && NameMatches(id.names, name)) || (!email.empty() && NameMatches(id.emails, email))) {
      return id.agent;
    }
  }
  return "";
}

// "Key: value" lines anywhere in the message (key: letters, digits, '-'; spaces before ':').
std::vector<std::pair<std::string, std::string>> KeyValueLines(const std::string& message) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    size_t colon = t.find(':');
    if (colon == std::string::npos || colon == 0) continue;
    std::string key = Trim(t.substr(0, colon));
    bool word = !key.empty();
    for (char c : key) word = word && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
    if (word) out.emplace_back(key, Trim(t.substr(colon + 1)));
  }
  return out;
}

}  // namespace

void ClassifyAuthor(ChangeFacts& facts, const AuthorConfig& config) {
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
  auto is_ai_key = [&](const std::string& key) {
    for (const auto& t : config.ai_trailers) {
      if (SameKey(t, key) || (t.find_first_of("*?") != std::string::npos && NameMatches({t}, key)))
        return true;
    }
    return false;
  };
  for (const auto& c : facts.scope.changes.commits) {
    std::string short_id = c.id.substr(0, 12);
    // A key-value pair that says an agent took part: an AI key, or a co-author who is an agent.
    auto judge = [&](const std::string& k, const std::string& v, const std::string& where) {
      if (is_ai_key(k)) {
        ai = true;
        add_agent(v.empty() ? k : v);
        note("commit " + short_id + " has " + where + " " + k + ": " + v);
        return;
      }
      if (!SameKey(k, "Co-authored-by")) return;
      auto [name, email] = Person(v);
      std::string agent = IdentityAgent(config, name, email);
      if (agent.empty() && !NameMatches(config.ai_trailer_values, v) && !NameMatches(config.ai_names, name) &&
          !NameMatches(config.ai_names, email)) {
        return;
      }
      ai = true;
      add_agent(agent.empty() ? v : agent);
      note("commit " + short_id + " has " + where + " " + k + ": " + v);
    };
    for (const auto& [k, v] : c.trailers) judge(k, v, "trailer");
    for (const auto& [k, v] : KeyValueLines(c.message)) judge(k, v, "the line");
    for (const auto& [name, email] :
         {std::pair{c.author_name, c.author_email}, {c.committer_name, c.committer_email}}) {
      if (name.empty() && email.empty()) continue;
      std::string who = name + (email.empty() ? "" : " <" + email + ">");
      std::string agent = IdentityAgent(config, name, email);
      if (!agent.empty() || NameMatches(config.ai_names, name) || NameMatches(config.ai_names, email)) {
        ai = true;
        add_agent(agent.empty() ? who : agent);
        note("commit " + short_id + " by " + who + (agent.empty() ? "" : " (agent " + agent + ")"));
      } else if (NameMatches(config.bot_names, name) || NameMatches(config.bot_names, email)) {
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
      if (SameKey(l, want)) {
        ai = true;
        note("label " + l);
      }
    }
  }
  facts.author_kind = ai ? AuthorKind::kAi : bot ? AuthorKind::kBot : AuthorKind::kHuman;
  facts.author_evidence = (ai || bot) ? evidence : "";
}

Intent IntentFromTrailers(const ChangeSet& cs) {
  Intent intent;
  for (const auto& c : cs.commits) {
    for (const auto& [k, v] : c.trailers) {
      if (!SameKey(k, "Intent")) continue;
      intent.declared = true;
      intent.source = "trailer Intent: in commit " + c.id.substr(0, 12);
      std::stringstream ss(v);
      std::string item;
      while (std::getline(ss, item, ',')) {
        item = Trim(item);
        if (item.empty()) continue;
        (item.find_first_of("/*.") != std::string::npos ? intent.paths : intent.components).push_back(item);
      }
      return intent;
    }
  }
  return intent;
}

}  // namespace ringfence
