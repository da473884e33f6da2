// Process exit codes: the CLI's contract with CI systems.
#pragma once

#include "engine/core/result.h"

namespace ringfence::cli {

enum ExitCode : int {
  kExitOk = 0,             // allowed / scope determined
  kExitDenied = 1,         // the gate denies the change
  kExitNeedsApproval = 2,  // approval required and not given
  kExitIndeterminate = 3,  // the engine cannot decide (fail closed)
  kExitInvalidInput = 4,   // bad flags, malformed files, unknown revisions
  kExitIoError = 5,        // the world failed: unreadable files, dead backends, internal errors
};

inline int ExitCodeFor(const Error& e) {
  switch (e.kind) {
    case ErrorKind::kInvalidInput:
    case ErrorKind::kNotFound: return kExitInvalidInput;
    case ErrorKind::kIndeterminate: return kExitIndeterminate;
    case ErrorKind::kIo:
    case ErrorKind::kInternal: return kExitIoError;
  }
  return kExitIoError;
}

}  // namespace ringfence::cli
