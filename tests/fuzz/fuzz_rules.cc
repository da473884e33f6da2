// Rule files, waivers and rule-test fixtures: any input gives a value or a positioned error; rules
// that load can be evaluated against a change without crashing.
#include <string>

#include "engine/rules/author.h"
#include "engine/rules/evaluator.h"
#include "engine/rules/rule_fixture.h"
#include "engine/rules/rule_loader.h"
#include "engine/rules/waivers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ringfence;
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceFile file{"f.yaml", text};
  auto rules = LoadRules({file});
  auto waivers = LoadWaivers(file);
  auto fixture = LoadFixture(file);
  for (const Error* e : {rules ? nullptr : &rules.error(), waivers ? nullptr : &waivers.error(),
                         fixture ? nullptr : &fixture.error()}) {
    if (e && e->message.rfind("f.yaml", 0) != 0) __builtin_trap();  // every error names the file
  }
  if (rules) {
    ChangeFacts facts;
    FileChange f;
    f.path = "infra/iam/policy.json";
    f.old_path = f.path;
    f.added = 1;
    f.added_lines.push_back({1, "\"Action\": \"*\""});
    facts.scope.changes.files.push_back(f);
    facts.scope.components.push_back({"auth", 0, true, 1, true});
    facts.branch = "ai/x";
    ClassifyAuthor(facts, rules->authors);
    (void)Evaluate(*rules, waivers ? *waivers : std::vector<Waiver>{}, facts, {});
  }
  return 0;
}
