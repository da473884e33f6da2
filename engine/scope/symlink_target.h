// Where a symlink in the repository points, read the way the file system will read it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ringfence {

// The repository-relative path `target` names for a link at `link_path` ('/'-separated), with
// "." and ".." resolved; nullopt when it leaves the repository (an absolute target, or more
// ".." than the link's depth). "" is the repository's root.
std::optional<std::string> ResolveSymlinkTarget(std::string_view link_path, std::string_view target);

}  // namespace ringfence
