// Action: what an operator or an agent is about to do, as the guard judges it (a command, one
// resource change of an infrastructure plan, one SQL statement, one Kubernetes object). Built by
// the readers of this folder (command_action, terraform_plan, sql_statements, kubernetes_manifests), placed
// in environments by environments.h, and read by the `action:` rule condition
// (engine/rules/matchers/action_matcher.cc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/tristate.h"

namespace ringfence {

enum class ActionKind { kCommand, kTerraform, kSql, kKubernetes };
const char* ToString(ActionKind kind);

// Where an action's effect lands, as environments.yaml maps places to environments.
// kUnknown: the guard cannot tell where it lands (a shell line it cannot read runs anything).
enum class PlaceKind { kLocal, kHost, kKubeContext, kCloudProfile, kDatabaseHost, kUnknown };
const char* ToString(PlaceKind kind);
struct Place {
  PlaceKind kind = PlaceKind::kLocal;
  std::string name;  // the host, context, profile or database host ("" for local)
  bool operator==(const Place&) const = default;
};

// A rule a plan or command must keep whatever the rules say (checked by environments.h and the
// plan readers; a breach is a fact rules read with `breaches:`).
enum class Invariant {
  kDnsRecordSetEmptied,  // a DNS record set left with no record
  kBelowCapacityFloor,   // a declared fleet left below its floor
  kProtectedRemoved,     // a protected resource deleted, replaced or overwritten
  kStalePlan,            // a plan made against a state older than the one it would overwrite
};
const char* ToString(Invariant invariant);
std::optional<Invariant> ParseInvariant(std::string_view text);

struct InvariantBreach {
  Invariant invariant;
  std::string detail;
};

struct Action {
  ActionKind kind = ActionKind::kCommand;
  std::string tool;  // "rm", "kubectl", "terraform", "psql", "sql"
  // Normalised: delete, drop, truncate, update, alter, replace, scale, drain, cordon, stop,
  // reboot, write, force-push, reset, apply, create, run, read (see docs/guard.md).
  std::string verb;
  std::string text;    // the command line or statement, for evidence
  std::string source;  // the plan or statement file ("" for a command)
  int line = 0;
  std::vector<std::string> targets;   // paths, resources, tables, branches, as written
  bool removes = false;               // deletes, destroys or overwrites what exists
  bool unbounded = false;             // recursive, --all, a whole namespace, bucket or table
  bool privileged = false;            // through sudo or doas
  bool pattern = false;               // a target is a glob the shell or tool expands
  Place place;                        // where it lands
  std::string environment;            // filled by ClassifyActions: "" when not declared
  int tier = -1;                      // the environment's tier (0 most critical), -1 when unknown
  std::optional<std::string> opaque;  // why ringfence cannot tell what it does (then verb etc. are guesses)
  std::vector<InvariantBreach> breaches;
  std::optional<double> fleet_fraction;  // the largest share of a declared fleet it removes
  Tristate frozen = Tristate::kFalse;    // lands where a change freeze holds now (MarkFrozen)
  std::string freeze;                    // that freeze: "name: reason"
  std::optional<int64_t> plan_age_ms;    // a plan's actions: how old the plan is (none: unknown)
  // What it removes can be had back: a declared backup, snapshot or soft delete of the targets or
  // their place (the environments file's `recoverable`), or a plan's final snapshot. Unknown for
  // an opaque action; false for anything else, what it does not remove included.
  Tristate reversible = Tristate::kFalse;
  std::string reversible_why;
};

}  // namespace ringfence
