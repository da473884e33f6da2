// `ringfence diff`: the change as data, the same numbers as `git diff --numstat -M base...head`.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/git/git_change_source.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace ringfence::cli {

Runner SetupDiff(CLI::App& sub) {
  struct Flags {
    std::string repo = ".";
    ChangeRequest change;
    std::string format = "numstat";
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("--repo", f->repo, "Repository")->capture_default_str();
  sub.add_option("--base", f->change.base, "Base revision")->required();
  sub.add_option("--head", f->change.head, "Head revision (default HEAD)");
  sub.add_option("--format", f->format, "numstat (as git) or json")
      ->check(CLI::IsMember({"numstat", "json"}))
      ->capture_default_str();
  return [f]() -> int {
    git::GitChangeSource source(f->repo);
    auto cs = source.Load(f->change);
    if (!cs) {
      std::cerr << "ringfence diff: " << cs.error().message << "\n";
      return ExitCodeFor(cs.error());
    }
    if (f->format == "json") {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& c : cs->files) {
        files.push_back({{"path", c.path},
                         {"old_path", c.old_path},
                         {"status", ToString(c.status)},
                         {"binary", c.binary},
                         {"added", c.added},
                         {"deleted", c.deleted}});
      }
      std::cout << nlohmann::json{{"merge_base", cs->merge_base}, {"files", files}}.dump(
                       2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      return kExitOk;
    }
    std::string out;
    for (const auto& c : cs->files) {
      out += c.binary ? "-\t-\t" : std::to_string(c.added) + "\t" + std::to_string(c.deleted) + "\t";
      out += c.old_path != c.path ? c.old_path + " => " + c.path : c.path;
      out += "\n";
    }
    std::cout << out;
    return kExitOk;
  };
}

}  // namespace ringfence::cli
