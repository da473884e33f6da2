// `ringfence init`: a first .ringfence/components.yaml proposed from the repository's structure,
// printed for review, written only with --write (never over an existing file without --force).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "adapters/common/files.h"
#include "adapters/git/git_repository.h"
#include "app/init.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/graph/components_file.h"

namespace ringfence::cli {

Runner SetupInit(CLI::App& sub) {
  struct Flags {
    std::string repo = ".";
    std::string rev = "HEAD";
    bool write = false, force = false;
  };
  auto f = std::make_shared<Flags>();
  sub.add_option("--repo", f->repo, "Repository")->capture_default_str();
  sub.add_option("--rev", f->rev, "Revision whose tree is read")->capture_default_str();
  sub.add_flag("--write", f->write,
               std::string("Write the proposal to ") + kComponentsPath + " in the work tree");
  sub.add_flag("--force", f->force, "With --write: replace an existing components file");
  return [f]() -> int {
    auto fail = [](const Error& e) {
      std::cerr << "ringfence init: " << e.message << "\n";
      return ExitCodeFor(e);
    };
    auto repo = git::GitRepository::Open(f->repo);
    if (!repo) return fail(repo.error());
    auto proposal = app::ProposeComponentsAt(**repo, f->rev);
    if (!proposal) return fail(proposal.error());
    std::cout << proposal->yaml;
    std::cerr << "ringfence init: " << proposal->components.size() << " component(s) proposed for "
              << proposal->files - proposal->unclaimed.size() << " of " << proposal->files << " file(s) at "
              << f->rev << "; tiers are unset (every component is tier 3 until a person sets one)\n";
    for (const auto& u : proposal->unclaimed) std::cerr << "  unclaimed: " << u << "\n";
    if (!f->write) {
      std::cerr << "  not written: review it, then `ringfence init --write` writes " << kComponentsPath
                << "\n";
      return proposal->unclaimed.empty() ? kExitOk : kExitIndeterminate;
    }
    std::string workdir = (*repo)->Workdir();
    if (workdir.empty()) return fail(Error::InvalidInput("a bare repository has no work tree to write to"));
    std::filesystem::path target = std::filesystem::path(workdir) / kComponentsPath;
    std::error_code ec;
    if (std::filesystem::symlink_status(target.parent_path(), ec).type() ==
            std::filesystem::file_type::symlink ||
        std::filesystem::symlink_status(target, ec).type() == std::filesystem::file_type::symlink)
      return fail(Error::InvalidInput(target.string() + " (or its folder) is a symlink: not written"));
    if (std::filesystem::exists(target, ec) && !f->force)
      return fail(Error::InvalidInput(target.string() + " exists: not replaced (--force replaces it)"));
    std::filesystem::create_directories(target.parent_path(), ec);
    if (auto st = WriteAtomically(target.string(), proposal->yaml); !st) return fail(st.error());
    std::cerr << "  written to " << target.string() << "; commit it so the gate reads it at the base\n";
    return proposal->unclaimed.empty() ? kExitOk : kExitIndeterminate;
  };
}

}  // namespace ringfence::cli
