#include "cli/completion.h"

#include <sstream>
#include <vector>

namespace ringfence::cli {
namespace {

struct Node {
  std::string path;  // " rollout status": the words after "ringfence"
  std::vector<CLI::App*> subs;
  std::vector<std::string> flags;                               // --long and -s names
  std::vector<std::pair<std::string, std::string>> long_flags;  // name without dashes, description
};

void Collect(CLI::App& app, const std::string& path, std::vector<Node>& out) {
  Node n{path, app.get_subcommands([](CLI::App*) { return true; }), {}, {}};
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) {
      n.flags.push_back("--" + l);
      n.long_flags.emplace_back(l, o->get_description());
    }
    for (const auto& s : o->get_snames()) n.flags.push_back("-" + s);
  }
  out.push_back(n);
  for (CLI::App* sub : n.subs) Collect(*sub, path + " " + sub->get_name(), out);
}

// Single-quoted for the shells: ' becomes '\''.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Bash(const std::vector<Node>& nodes) {
  std::ostringstream o;
  o << "# ringfence completion for bash (ringfence completion bash)\n"
       "_ringfence() {\n"
       "  local cur=${COMP_WORDS[COMP_CWORD]} path='' w i words=''\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    w=${COMP_WORDS[i]}\n"
       "    case \"$path $w\" in\n";
  for (const auto& n : nodes) {
    if (!n.path.empty()) o << "      " << Quote(n.path) << ") path=\"$path $w\" ;;\n";
  }
  o << "    esac\n  done\n  case \"$path\" in\n";
  for (const auto& n : nodes) {
    std::string words;
    for (CLI::App* s : n.subs) words += (words.empty() ? "" : " ") + s->get_name();
    for (const auto& f : n.flags) words += (words.empty() ? "" : " ") + f;
    o << "    " << Quote(n.path) << ") words=" << Quote(words) << " ;;\n";
  }
  o << "  esac\n"
       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
       "}\n"
       "complete -o default -F _ringfence ringfence\n";
  return o.str();
}

std::string Fish(const std::vector<Node>& nodes) {
  std::ostringstream o;
  o << "# ringfence completion for fish (ringfence completion fish)\n"
       "complete -c ringfence -f\n";
  for (const auto& n : nodes) {
    // The condition: the words of this node's path were seen, and none of its subcommands yet.
    std::string cond;
    std::istringstream words(n.path);
    for (std::string w; words >> w;)
      cond += (cond.empty() ? "" : "; and ") + std::string("__fish_seen_subcommand_from ") + w;
    std::string subs;
    for (CLI::App* s : n.subs) subs += " " + s->get_name();
    std::string not_deeper = subs.empty() ? "" : "not __fish_seen_subcommand_from" + subs;
    std::string when = cond.empty() ? (subs.empty() ? "" : "__fish_use_subcommand")
                                    : cond + (not_deeper.empty() ? "" : "; and " + not_deeper);
    std::string n_arg = when.empty() ? "" : " -n " + Quote(when);
    for (CLI::App* s : n.subs)
      o << "complete -c ringfence" << n_arg << " -a " << s->get_name() << " -d "
        << Quote(s->get_description()) << "\n";
    for (const auto& [name, description] : n.long_flags) {
      std::string flag_when = cond.empty() ? "__fish_use_subcommand" : cond;
      o << "complete -c ringfence -n " << Quote(flag_when) << " -l " << name << " -d " << Quote(description)
        << "\n";
    }
  }
  return o.str();
}

}  // namespace

std::string CompletionScript(CLI::App& root, const std::string& shell) {
  std::vector<Node> nodes;
  Collect(root, "", nodes);
  if (shell == "fish") return Fish(nodes);
  std::string bash = Bash(nodes);
  if (shell == "zsh")
    return "# ringfence completion for zsh (ringfence completion zsh): the bash completion through\n"
           "# zsh's bashcompinit\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && "
           "bashcompinit\n" +
           bash;
  return bash;
}

}  // namespace ringfence::cli
