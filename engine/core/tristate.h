// Three-valued truth for conditions evaluated with partial knowledge: kUnknown when the answer
// depends on something not known (a macro a header may define, a build tag).
#pragma once

namespace ringfence {

enum class Tristate { kFalse, kTrue, kUnknown };

inline Tristate Not(Tristate a) {
  return a == Tristate::kUnknown ? a : a == Tristate::kTrue ? Tristate::kFalse : Tristate::kTrue;
}
inline Tristate And(Tristate a, Tristate b) {
  if (a == Tristate::kFalse || b == Tristate::kFalse) return Tristate::kFalse;
  return a == Tristate::kTrue && b == Tristate::kTrue ? Tristate::kTrue : Tristate::kUnknown;
}
inline Tristate Or(Tristate a, Tristate b) {
  if (a == Tristate::kTrue || b == Tristate::kTrue) return Tristate::kTrue;
  return a == Tristate::kFalse && b == Tristate::kFalse ? Tristate::kFalse : Tristate::kUnknown;
}

}  // namespace ringfence
