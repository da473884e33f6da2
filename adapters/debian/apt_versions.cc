#include "adapters/debian/apt_versions.h"

#include <apt-pkg/debversion.h>

#include <cctype>

namespace ringfence::debian {

int AptVersionOrder::Compare(std::string_view a, std::string_view b) const {
  return debVS.DoCmpVersion(a.data(), a.data() + a.size(), b.data(), b.data() + b.size());
}

bool AptVersionOrder::Valid(std::string_view v) const {
  if (v.empty() || v.size() > 256) return false;
  auto colon = v.find(':');
  if (colon != std::string_view::npos) {
    if (colon == 0) return false;
    for (char c : v.substr(0, colon))
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v.remove_prefix(colon + 1);
  }
  auto dash = v.rfind('-');
  std::string_view upstream = dash == std::string_view::npos ? v : v.substr(0, dash);
  if (upstream.empty() || !std::isdigit(static_cast<unsigned char>(upstream[0]))) return false;
  for (char c : upstream)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '~' && c != '-' &&
        c != ':')
      return false;
  if (dash != std::string_view::npos) {
    std::string_view revision = v.substr(dash + 1);
    if (revision.empty()) return false;
    for (char c : revision)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '+' && c != '~') return false;
  }
  return true;
}

}  // namespace ringfence::debian
