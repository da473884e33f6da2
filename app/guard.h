// Use case: the guard. Actions (a command, a Terraform plan, SQL, Kubernetes manifests) read by engine/guard,
// placed in the environments file, judged by the shipped guard packs (guard-rules/, built into the binary)
// and the operator's rule files, with the same evaluator as the gate. Ports only: the operator's
// files (FileReader), never through a symlink.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/guard/command_action.h"
#include "engine/guard/environments.h"
#include "engine/guard/kubernetes_manifests.h"
#include "engine/ports/file_reader.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/rule_loader.h"

namespace ringfence::app {

enum class GuardInput { kArgv, kArgvs, kShell, kTerraformPlan, kSqlFile, kKubernetesManifests };

struct GuardRequest {
  GuardInput input = GuardInput::kArgv;
  std::vector<std::string> argv;                // kArgv
  std::vector<std::vector<std::string>> argvs;  // kArgvs: the commands of a staged action, judged together
  std::string shell;                            // kShell: a command line as a shell would run it
  std::string file;             // kTerraformPlan, kSqlFile, kKubernetesManifests: the operator's file
  Place place;                  // plans and SQL files: where they apply (a profile, a database host)
  std::string terraform_state;  // kTerraformPlan: the state now (terraform show -json), "" not given
  ManifestVerb manifest_verb = ManifestVerb::kApply;  // kKubernetesManifests: kubectl apply -f or delete -f
  std::string manifest_namespace;      // kKubernetesManifests: where objects naming none land ("" unknown)
  std::vector<std::string> rules;      // more rule files or directories
  bool shipped_rules = true;           // the packs of guard-rules/
  std::string environments;            // the environments file ("": none, every place unknown)
  CommandDefaults defaults;            // a command's kube context, cloud profile, database host
  AuthorKind actor = AuthorKind::kAi;  // who asks: an agent unless said otherwise
  std::vector<std::string> agents;     // the agent's name, when known
  std::vector<std::string> approved_by;
  std::vector<std::string> task_environments, task_targets;  // the declared task (--intent-*)
  std::chrono::system_clock::time_point now;
};

struct GuardRun {
  RuleSet rules;
  Environments environments;
  ChangeFacts facts;  // facts.actions: what was judged
  Verdict verdict;
  std::vector<std::string> rule_sources;
};

// True for the decisions that let a command run: allow and warn.
inline bool Runs(Decision decision) { return decision == Decision::kAllow || decision == Decision::kWarn; }

// The packs built into the binary from guard-rules/ (path "guard-rules/<name>.yaml").
const std::vector<SourceFile>& ShippedGuardRules();

// Errors (exit 4) for files that cannot be read or parsed; a verdict for everything else. A
// verdict with no action (an empty command) is indeterminate: nothing was judged.
Result<std::unique_ptr<GuardRun>> RunGuard(const GuardRequest& request, const FileReader& files);

}  // namespace ringfence::app
