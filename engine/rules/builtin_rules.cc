// Rules that hold whatever the rule files say. A change that edits the rules, waivers, CODEOWNERS
// or CI configuration that judge it is itself guarded: an AI-authored one needs a human approval.
#include "engine/rules/matcher_registry.h"
#include "engine/rules/rule_loader.h"

namespace ringfence {

void AddBuiltinRules(RuleSet& set) {
  auto doc = YamlDoc::Parse(
      "all:\n"
      "  - author: [ai]\n"
      "  - guard_files: true\n",
      "<builtin>");
  auto when = ParseCondition(*doc, doc->root());
  Rule r;
  r.id = "builtin.guardrails-self-protection";
  r.description =
      "An AI-authored change to rules, waivers, CODEOWNERS or CI configuration needs a human approval";
  r.when = std::move(*when);
  r.effect = Effect::kRequireApproval;
  r.message = "this change edits the guardrails that judge it";
  r.file = "<builtin>";
  r.builtin = true;
  set.rules.push_back(std::move(r));
}

}  // namespace ringfence
