// Process exit codes: the CLI's contract with CI systems.
#pragma once

#include <iostream>
#include <string_view>

#include "engine/core/result.h"

namespace ringfence {
enum class Decision;  // engine/rules/evaluator.h
}

namespace ringfence::cli {

enum ExitCode : int {
  kExitOk = 0,             // allowed / scope determined
  kExitDenied = 1,         // the gate denies the change
  kExitNeedsApproval = 2,  // approval required and not given
  kExitIndeterminate = 3,  // the engine cannot decide (fail closed)
  kExitInvalidInput = 4,   // bad flags, malformed files, unknown revisions
  kExitIoError = 5,        // the world failed: unreadable files, dead backends, internal errors
  // `ringfence rollout`: 0 promoted, 1 rolled back (the candidate was rejected), 2 waiting for a
  // human (approval), and:
  kExitEscalated = 6,    // a rollback could not be verified: a human must look; the service is frozen
  kExitFrozen = 7,       // automated rollouts of the service are frozen; nothing was started
  kExitConflict = 8,     // another process got there first: a live rollout of the service, or a
                         // decision journaled between reading the rollout and deciding
  kExitNotAdmitted = 9,  // the image policy refused the candidate; no session was started
  kExitDrift = 10,       // `ringfence fleet drift`: drift exceeds the policy
  kExitMustStage = 11,   // `ringfence guard`: allowed only in waves (`guard run`); nothing was run
};

// A verdict's exit code (cli/check_command.cc): allow and warn 0, deny 1, approval 2, else 3.
int ExitCodeFor(Decision d);

inline int ExitCodeFor(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kInvalidInput:
    case ErrorKind::kNotFound:
      return kExitInvalidInput;
    case ErrorKind::kIndeterminate:
      return kExitIndeterminate;
    case ErrorKind::kConflict:
      return kExitConflict;
    case ErrorKind::kIo:
    case ErrorKind::kInternal:
      return kExitIoError;
  }
  return kExitIoError;
}

// Prints "ringfence COMMAND: message" on stderr and returns the error's exit code.
inline int Fail(std::string_view command, const Error& e) {
  std::cerr << "ringfence " << command << ": " << e.message << "\n";
  return ExitCodeFor(e);
}

}  // namespace ringfence::cli
