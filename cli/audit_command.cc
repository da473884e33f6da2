// `ringfence audit verify [--state DIR] [FILE]`: checks the hash chain of the audit log line by
// line, and that it holds every record of the state directory's journal (a log cut short at its
// end). Exit 0 intact, 1 tampered (the first broken line is named), 3 a record awaits auditing
// (an interrupted run), 4/5 unreadable.
#include <iostream>
#include <memory>

#include "adapters/store/audit_file.h"
#include "adapters/store/sqlite_state_store.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/rollout_runtime.h"

namespace ringfence::cli {

Runner SetupAudit(CLI::App& app) {
  struct Flags {
    std::string state = DefaultStateDir();
    std::string file;
  };
  auto f = std::make_shared<Flags>();
  app.require_subcommand(1);
  auto* verify = app.add_subcommand("verify", "Check the audit log's hash chain against the journal");
  verify->add_option("--state", f->state, "State directory")->capture_default_str();
  verify->add_option("file", f->file, "Audit log (default <state>/audit.log)");
  return [f]() -> int {
    std::string path = f->file.empty() ? f->state + "/audit.log" : f->file;
    auto entries = store::VerifyAuditFile(path);
    if (!entries) {
      std::cerr << "ringfence audit: TAMPERED: " << entries.error().message << "\n";
      return entries.error().kind == ErrorKind::kInvalidInput ? kExitDenied : ExitCodeFor(entries.error());
    }
    auto store = store::SqliteStateStore::Open(f->state + "/journal.db");
    if (!store) return (std::cerr << "ringfence audit: " << store.error().message << "\n", kExitIoError);
    auto rollouts = (*store)->Rollouts();
    if (!rollouts) return (std::cerr << "ringfence audit: " << rollouts.error().message << "\n", kExitIoError);
    std::vector<JournalRecord> all;
    for (const auto& r : *rollouts) {
      auto j = (*store)->Journal(r.rollout_id);
      if (!j) return (std::cerr << "ringfence audit: " << j.error().message << "\n", kExitIoError);
      all.insert(all.end(), j->begin(), j->end());
    }
    auto pending = store::VerifyAuditAgainstJournal(path, *entries, all);
    if (!pending) {
      std::cerr << "ringfence audit: TAMPERED: " << pending.error().message << "\n";
      return kExitDenied;
    }
    if (*pending > 0) {
      std::cout << path << ": chain intact; " << *pending << " journal record(s) not yet audited: a run was "
                << "interrupted right after journaling; `ringfence rollout resume` records them\n";
      return kExitIndeterminate;
    }
    std::cout << path << ": intact, " << entries->size() << " entries, chain and journal agree (" << all.size()
              << " journal records in " << rollouts->size() << " rollouts)\n";
    return kExitOk;
  };
}

}  // namespace ringfence::cli
