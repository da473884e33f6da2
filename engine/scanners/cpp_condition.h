// Evaluates the condition of a C/C++ `#if` as far as the macros known for one build decide it.
// A name the scope does not know (a macro a header may define) is unknown, and so is anything
// that depends on it, a function-like macro (`__has_include(...)`, `FOO(2)`) or text that does
// not parse: only a condition that is false whatever the unknowns are evaluates to kFalse.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "engine/core/tristate.h"

namespace ringfence {

struct MacroScope {
  std::unordered_map<std::string, std::string> defined;  // name -> replacement text
  std::unordered_set<std::string> undefined;
};

Tristate EvaluateCppCondition(std::string_view expr, const MacroScope& scope);

}  // namespace ringfence
