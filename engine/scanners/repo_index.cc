#include "engine/scanners/repo_index.h"

#include <memory>

namespace ringfence {

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool JoinPath(std::string_view dir, std::string_view rel, std::string& out) {
  std::vector<std::string_view> parts;
  auto push = [&](std::string_view s) -> bool {
    size_t pos = 0;
    while (pos <= s.size()) {
      size_t slash = s.find('/', pos);
      std::string_view seg = s.substr(pos, (slash == std::string_view::npos ? s.size() : slash) - pos);
      if (seg == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else if (!seg.empty() && seg != ".") {
        parts.push_back(seg);
      }
      if (slash == std::string_view::npos) break;
      pos = slash + 1;
    }
    return true;
  };
  if (!rel.empty() && rel[0] == '/') dir = {};
  if (!push(dir) || !push(rel)) return false;
  out.clear();
  for (auto p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return true;
}

RepoIndex::RepoIndex(const std::vector<std::string>& paths) : paths_(&paths) {
  by_path_.reserve(paths.size() * 2);
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string_view p = paths[i];
    int id = static_cast<int>(i);
    by_path_.emplace(p, id);
    by_dir_[DirName(p)].push_back(id);
    by_name_[BaseName(p)].push_back(id);
  }
}

int RepoIndex::Find(std::string_view path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? -1 : it->second;
}

const std::vector<int>* RepoIndex::FilesIn(std::string_view dir) const {
  auto it = by_dir_.find(dir);
  return it == by_dir_.end() ? nullptr : &it->second;
}

const std::vector<int>* RepoIndex::FilesNamed(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

}  // namespace ringfence
