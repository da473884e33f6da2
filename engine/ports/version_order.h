// How versions of one ecosystem's packages are ordered (Debian's, for Debian advisories). The scan
// compares versions only through this port; the Debian implementation is libapt-pkg's.
#pragma once

#include <string_view>

namespace ringfence {

class VersionOrder {
 public:
  virtual ~VersionOrder() = default;
  // <0, 0, >0 as a sorts before, equal to or after b.
  virtual int Compare(std::string_view a, std::string_view b) const = 0;
  // Whether `v` is a version of this ecosystem at all (a range against an invalid one is not
  // decided, it is reported).
  virtual bool Valid(std::string_view v) const = 0;
};

}  // namespace ringfence
