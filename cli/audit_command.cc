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
    std::string file, key_file;
  };
  auto f = std::make_shared<Flags>();
  app.require_subcommand(1);
  app.fallthrough();  // --state and --audit-key before or after the verb
  app.add_option("--state", f->state, "State directory")->capture_default_str();
  app.add_option("--audit-key", f->key_file, "The log's key file (default $RINGFENCE_AUDIT_KEY_FILE)");
  auto* verify = app.add_subcommand(
      "verify", "Check the audit log's hash chain (and MACs, with the key) against the journal");
  verify->add_option("file", f->file, "Audit log (default <state>/audit.log)");
  return [f]() -> int {
    std::string path = f->file.empty() ? f->state + "/audit.log" : f->file;
    auto key = LoadAuditKey(f->key_file, f->state);
    if (!key)
      return (std::cerr << "ringfence audit: " << key.error().message << "\n", ExitCodeFor(key.error()));
    // Read-only: nothing is created; a missing journal reads as an empty one.
    std::vector<JournalRecord> all;
    size_t rollouts = 0;
    auto state = OpenStateDir(f->state, /*read_only=*/true);
    if (!state && state.error().kind != ErrorKind::kNotFound) {
      return (std::cerr << "ringfence audit: " << state.error().message << "\n", ExitCodeFor(state.error()));
    }
    if (state) {
      auto listed = state->store->Rollouts();
      if (!listed) return (std::cerr << "ringfence audit: " << listed.error().message << "\n", kExitIoError);
      rollouts = listed->size();
      std::vector<std::string> ids = {kFleetJournal, kGuardJournal, kGuardRunJournal};
      for (const auto& r : *listed) ids.push_back(r.rollout_id);
      for (const auto& id : ids) {
        auto j = state->store->Journal(id);
        if (!j) return (std::cerr << "ringfence audit: " << j.error().message << "\n", kExitIoError);
        all.insert(all.end(), j->begin(), j->end());
      }
    }
    auto checked = store::VerifyAuditFile(path, *key);
    if (!checked) {
      if (checked.error().kind == ErrorKind::kNotFound) {
        if (all.empty()) {
          std::cerr << "ringfence audit: no audit log at " << path
                    << " (and no journal records): nothing to verify\n";
          return kExitInvalidInput;
        }
        std::cerr << "ringfence audit: TAMPERED: the audit log " << path
                  << " is missing, but the journal has " << all.size() << " records\n";
        return kExitDenied;
      }
      std::cerr << "ringfence audit: TAMPERED: " << checked.error().message << "\n";
      return checked.error().kind == ErrorKind::kInvalidInput ? kExitDenied : ExitCodeFor(checked.error());
    }
    auto pending = store::VerifyAuditAgainstJournal(path, checked->entries, all);
    if (!pending) {
      std::cerr << "ringfence audit: TAMPERED: " << pending.error().message << "\n";
      return kExitDenied;
    }
    std::string how = checked->authenticated ? "every entry authenticated with the key"
                      : checked->keyed
                          ? "integrity only: the entries carry MACs, give --audit-key to check them"
                          : "integrity only: the log has no key, so a writer of the state directory "
                            "could have rewritten log and journal together";
    if (*pending > 0) {
      std::cout << path << ": chain intact (" << how << "); " << *pending
                << " journal record(s) not yet audited: a "
                << "run was interrupted right after journaling; `ringfence rollout resume` (or, for the "
                   "guard's, the next "
                << "`guard exec`) records them\n";
      return kExitIndeterminate;
    }
    std::cout << path << ": intact, " << checked->entries.size() << " entries, chain and journal agree ("
              << all.size() << " journal records in " << rollouts
              << (rollouts == 1 ? " rollout); " : " rollouts); ") << how << "\n";
    return kExitOk;
  };
}

}  // namespace ringfence::cli
