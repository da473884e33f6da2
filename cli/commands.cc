#include "cli/commands.h"

namespace ringfence::cli {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"check", "The CI gate: judge a change by the rules at its base revision", SetupCheck},
      {"guard", "Judge an action before it runs: a command, a Terraform plan, SQL; agent hooks", SetupGuard},
      {"rules", "Rule files: lint and test them", SetupRules},
      {"init", "Propose a components file from the repository's structure (written with --write)", SetupInit},
      {"scope", "What a change touches: changed files, blast radius, components, owners", SetupScope},
      {"explain", "Why a path is (or is not) affected by a change", SetupExplain},
      {"diff", "The changed files with line counts, as git diff --numstat -M base...head", SetupDiff},
      {"rollout", "Canary a candidate onto sessions, judge it, revert it automatically", SetupRollout},
      {"audit", "Verify the hash-chained audit log of rollout decisions", SetupAudit},
      {"image", "Images as a supply chain: keys, signed build provenance, verification, revocation",
       SetupImage},
      {"fleet", "The sessions every backend holds: inventory, what each service runs, drift", SetupFleet},
      {"replay", "Replay past incidents and healthy rollouts through the gate and the canary", SetupReplay},
      {"tune", "Sweep plan parameters over the scenario library: caught vs false alarms vs cost", SetupTune},
  };
  return kCommands;
}

}  // namespace ringfence::cli
