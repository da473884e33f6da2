// Debian's version ordering (epochs, '~' before everything, letters before other characters) as
// libapt-pkg's debVersioningSystem implements it; tested against `dpkg --compare-versions`.
#pragma once

#include "engine/ports/version_order.h"

namespace ringfence::debian {

class AptVersionOrder final : public VersionOrder {
 public:
  int Compare(std::string_view a, std::string_view b) const override;
  // dpkg's rules: [epoch:]upstream[-revision], the epoch digits, the upstream version starting
  // with a digit, only [A-Za-z0-9.+~-] (and ':' after an epoch) in the upstream version and
  // [A-Za-z0-9.+~] in the revision.
  bool Valid(std::string_view v) const override;
};

}  // namespace ringfence::debian
