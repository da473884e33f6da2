// Wiring of `ringfence rollout`: the state directory (journal, audit log, sessions, logs) and the
// adapters a rollout uses (backend registry, metric sources, notifier, built-in load, progress),
// handed to the use cases of app/rollout.h; the report at the end.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "adapters/backends/backend_registry.h"
#include "adapters/common/local_files.h"
#include "adapters/common/system_clock.h"
#include "adapters/store/audit_file.h"
#include "adapters/store/sqlite_state_store.h"
#include "app/rollout.h"
#include "cli/rollout_progress.h"
#include "engine/rollout/orchestrator.h"

namespace ringfence::cli {

// <dir>/journal.db, <dir>/audit.log, <dir>/sessions/<backend>/, <dir>/logs/, <dir>/snapshots/:
// directories 0700 and files 0600 whatever the umask; a symlink anywhere in it is an error.
struct StateDir {
  std::string dir;
  std::unique_ptr<store::SqliteStateStore> store;
  std::unique_ptr<store::AuditFile> audit;
  std::string audit_path() const { return dir + "/audit.log"; }
};

// --state, else $RINGFENCE_STATE, else .ringfence/state.
std::string DefaultStateDir();
// With read_only (status, audit verify), nothing is created: a missing directory or journal is
// kNotFound, and no audit log is opened.
// `audit_key` authenticates the audit log (LoadAuditKey).
Result<StateDir> OpenStateDir(const std::string& dir, bool read_only = false,
                              const std::string& audit_key = "");

// The state directory of a command that writes: opened with its audit key (LoadAuditKey).
Result<StateDir> OpenStateDirForWriting(const std::string& dir, const std::string& key_file);

// The audit key from `key_file` (--audit-key), else the file $RINGFENCE_AUDIT_KEY_FILE names; ""
// when neither is given. kInvalidInput for a key inside the state directory (whoever can rewrite
// the log could read it there), a symlink, or fewer than 16 bytes.
Result<std::string> LoadAuditKey(const std::string& key_file, const std::string& state_dir);

struct RunOptions {
  bool load = true;             // drive the plan's built-in load, if it has one
  bool keep_sessions = false;   // leave sessions running when the run ends (default: end the built-in load's)
  bool live = false;            // status line in place (a terminal)
  std::string format = "text";  // report: text or json
  std::string holder;           // who drives (the service's lease); default: a fresh DriverId()
  // Set when this process has just journaled a human decision ("abort", "approval"): if another
  // process took the service's lease first, it carries the decision out, and that is a success.
  std::string journaled_decision;
};

// Prints that `decision` is journaled and `holder` drives the rollout and carries it out.
void PrintHandedOver(std::ostream& out, const std::string& id, const std::string& decision,
                     const std::string& holder, const std::string& state_dir);

// The journal as rollouts write it: the store itself, unless a decorator was installed (only test
// builds do: tests/support/faulty_main.cc kills the process right after a given record).
using JournalDecorator = std::function<std::unique_ptr<StateStore>(StateStore&)>;
void SetJournalDecorator(JournalDecorator decorator);
class JournalView {
 public:
  explicit JournalView(StateStore& store);
  StateStore& operator*() { return decorated_ ? *decorated_ : store_; }
  StateStore* operator->() { return &**this; }

 private:
  StateStore& store_;
  std::unique_ptr<StateStore> decorated_;
};

// The adapters of a rollout in an open state directory, as the use cases see them.
class RolloutWiring {
 public:
  RolloutWiring(StateDir& state, bool live);
  app::RolloutWorld& world() { return world_; }

 private:
  LocalFiles files_;
  SystemClock clock_;
  backends::BackendRegistry backends_;
  JournalView journal_;
  std::unique_ptr<RolloutProgress> progress_;
  app::RolloutWorld world_;
};

// Who holds a service's lease (store::NewLeaseHolder).
std::string DriverId();

// Runs (or resumes) a rollout to an outcome and prints its report; returns the exit code. Takes
// the service's lease first (exit 8 when another process drives it) and gives it up at the end.
int RunRollout(RolloutWiring& wiring, const app::Rollout& rollout, const RunOptions& options);

// The exit code for an outcome.
int ExitCodeFor(RolloutOutcome o);

}  // namespace ringfence::cli
