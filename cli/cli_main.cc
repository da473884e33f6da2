#include "cli/cli_main.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/exit_codes.h"
#include "cli/output_options.h"

namespace ringfence::cli {
namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  allowed / determined / promoted      1  denied / rolled back\n"
    "  2  approval required / waiting for a human\n"
    "  3  indeterminate (the gate cannot decide: fail closed)\n"
    "  4  bad input (flags, files, revisions)  5  I/O or internal error\n"
    "  6  rollback not verified: escalated      7  the service is frozen\n"
    "  8  another process got there first\n"
    "Help on a command: ringfence help COMMAND [VERB]";

// Edit distance with transpositions (optimal string alignment), for "did you mean": "stauts" is
// one edit from "status".
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// "ringfence rollout" for the rollout command's promote verb: the words before an app's name.
std::string ParentPath(const CLI::App& app) {
  std::string path;
  for (const CLI::App* p = app.get_parent(); p != nullptr; p = p->get_parent())
    path = p->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

// The command path the leading words of argv name (before any option), and the first word that
// names no subcommand where one is required; nullptr when every word resolved.
struct Walk {
  CLI::App* app;
  const char* unknown = nullptr;
};
Walk WalkCommands(CLI::App& root, int first, int argc, char** argv) {
  Walk w{&root};
  for (int i = first; i < argc && argv[i][0] != '-'; ++i) {
    if (w.app->get_subcommands([](CLI::App*) { return true; }).empty()) break;
    std::string word = argv[i];
    auto subs = w.app->get_subcommands([&word](CLI::App* s) { return s->check_name(word); });
    CLI::App* sub = subs.empty() ? nullptr : subs.front();
    if (sub == nullptr) {
      if (w.app->get_require_subcommand_min() > 0) w.unknown = argv[i];
      break;
    }
    w.app = sub;
  }
  return w;
}

int UnknownCommand(CLI::App& parent, const std::string& word) {
  std::string best;
  size_t best_distance = 3;  // suggest only what is a couple of edits away
  for (CLI::App* sub : parent.get_subcommands([](CLI::App*) { return true; })) {
    size_t d = Distance(word, sub->get_name());
    if (d < best_distance) best_distance = d, best = sub->get_name();
  }
  std::string where =
      ParentPath(parent).empty() ? parent.get_name() : ParentPath(parent) + " " + parent.get_name();
  std::cerr << where << ": unknown command '" << word << "'";
  if (!best.empty()) std::cerr << "; did you mean '" << best << "'?";
  std::cerr << "\nthe commands: ringfence help" << where.substr(std::string_view("ringfence").size()) << "\n";
  return kExitInvalidInput;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"ringfence: bounds for AI-authored changes and the rollouts that ship them", "ringfence"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ringfence " RINGFENCE_VERSION);
  app.footer(kExitCodes);
  AddOutputOptions(app);  // before the subcommands, which inherit its fallthrough
  std::vector<std::pair<CLI::App*, Runner>> runners;
  for (const auto& cmd : Commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.description);
    sub->footer(kExitCodes);
    runners.emplace_back(sub, cmd.setup(*sub));
  }
  CLI::App* help =
      app.add_subcommand("help", "Help on ringfence or on a command: ringfence help [COMMAND [VERB]]");
  help->allow_extras();
  CLI::App* completion =
      app.add_subcommand("completion", "Shell completion: ringfence completion bash|zsh|fish");
  std::string shell;
  completion->add_option("shell", shell, "bash, zsh or fish")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));

  if (argc > 1 && std::string_view(argv[1]) == "help") {
    Walk w = WalkCommands(app, 2, argc, argv);
    if (w.unknown) return UnknownCommand(*w.app, w.unknown);
    std::cout << w.app->help(ParentPath(*w.app));
    return kExitOk;
  }
  if (Walk w = WalkCommands(app, 1, argc, argv); w.unknown) return UnknownCommand(*w.app, w.unknown);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitInvalidInput;
  }
  ApplyOutputOptions();
  if (completion->parsed()) {
    std::cout << CompletionScript(app, shell);
    return kExitOk;
  }
  try {
    for (auto& [sub, run] : runners) {
      if (!sub->parsed()) continue;
      int rc = run();
      // A large graph takes longer to free than to use: end the process without destructors, as
      // compilers do. Everything written has been flushed; no file is left half-written because
      // every cache write is a rename of a complete temporary file.
      std::fflush(nullptr);
      std::cout.flush();
      std::_Exit(rc);
    }
  } catch (const std::exception& e) {
    std::cerr << "ringfence: internal error: " << e.what() << "\n";
    return kExitIoError;
  }
  return kExitInvalidInput;
}

}  // namespace ringfence::cli
