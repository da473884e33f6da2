#include "engine/scope/symlink_target.h"

#include <vector>

namespace ringfence {

std::optional<std::string> ResolveSymlinkTarget(std::string_view link_path, std::string_view target) {
  if (target.empty() || target.front() == '/' || target.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::vector<std::string> parts;
  size_t slash = link_path.rfind('/');
  std::string_view dir = slash == std::string_view::npos ? std::string_view() : link_path.substr(0, slash);
  auto push = [&](std::string_view path) {
    size_t pos = 0;
    while (pos <= path.size()) {
      size_t next = path.find('/', pos);
      std::string_view part =
          path.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
      pos = next == std::string_view::npos ? path.size() + 1 : next + 1;
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else {
        parts.emplace_back(part);
      }
    }
    return true;
  };
  if (!push(dir) || !push(target)) return std::nullopt;
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace ringfence
