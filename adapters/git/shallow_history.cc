#include "adapters/git/shallow_history.h"

#include <algorithm>
#include <deque>
#include <fstream>
#include <map>
#include <set>

namespace ringfence::git {
namespace {

struct OidLess {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_cmp(&a, &b) < 0; }
};
using OidSet = std::set<git_oid, OidLess>;

constexpr size_t kMaxCommits = 200000;  // bounds the work on a deep history

const char* kUnshallowHint = "; fetch more history (`git fetch --deepen=100` or `git fetch --unshallow`)";

class ShallowGraph {
 public:
  explicit ShallowGraph(git_repository* repo) : repo_(repo) {
    std::ifstream in(std::string(git_repository_path(repo)) + "shallow");
    std::string line;
    while (std::getline(in, line)) {
      git_oid oid;
      if (line.size() >= GIT_OID_HEXSZ && git_oid_fromstrn(&oid, line.c_str(), GIT_OID_HEXSZ) == 0)
        roots_.insert(oid);
    }
  }

  // Parents of `c` as the shallow history has them.
  Result<std::vector<git_oid>> Parents(const git_oid& c) {
    if (roots_.count(c)) return std::vector<git_oid>{};
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &c) != 0) {
      return Error::NotFound("commit " + OidHex(c) + " is not in the shallow clone" + kUnshallowHint);
    }
    CommitPtr commit(raw);
    std::vector<git_oid> out;
    for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i)
      out.push_back(*git_commit_parent_id(commit.get(), i));
    return out;
  }

  int64_t Time(const git_oid& c) {
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_, &c) != 0) return 0;
    CommitPtr commit(raw);
    return git_commit_time(commit.get());
  }

  // Every commit reachable from `from` (itself included).
  Result<OidSet> Ancestors(const git_oid& from) {
    OidSet seen{from};
    std::deque<git_oid> todo{from};
    while (!todo.empty()) {
      git_oid c = todo.front();
      todo.pop_front();
      auto parents = Parents(c);
      if (!parents) return parents.error();
      for (const auto& p : *parents) {
        if (seen.insert(p).second) todo.push_back(p);
      }
      if (seen.size() > kMaxCommits)
        return Error::InvalidInput("more than 200000 commits between base and head");
    }
    return seen;
  }

 private:
  git_repository* repo_;
  OidSet roots_;
};

}  // namespace

Result<git_oid> ShallowMergeBase(git_repository* repo, const git_oid& a, const git_oid& b) {
  ShallowGraph g(repo);
  auto of_a = g.Ancestors(a);
  if (!of_a) return of_a.error();
  // Walk down from b; a commit that a reaches is a common ancestor and ends its line: the
  // candidates are the commons no other common lies above.
  OidSet seen{b};
  std::deque<git_oid> todo{b};
  std::vector<git_oid> frontier;
  while (!todo.empty()) {
    git_oid c = todo.front();
    todo.pop_front();
    if (of_a->count(c)) {
      frontier.push_back(c);
      continue;
    }
    auto parents = g.Parents(c);
    if (!parents) return parents.error();
    for (const auto& p : *parents) {
      if (seen.insert(p).second) todo.push_back(p);
    }
  }
  if (frontier.empty()) {
    return Error::NotFound("the shallow clone holds no common ancestor of " + OidHex(a).substr(0, 12) +
                           " and " + OidHex(b).substr(0, 12) + std::string(kUnshallowHint));
  }
  std::vector<git_oid> best;
  for (const auto& c : frontier) {
    bool below_another = false;
    for (const auto& other : frontier) {
      if (git_oid_equal(&c, &other)) continue;
      auto up = g.Ancestors(other);
      if (!up) return up.error();
      below_another = below_another || up->count(c);
    }
    if (!below_another) best.push_back(c);
  }
  std::sort(best.begin(), best.end(), [&](const git_oid& x, const git_oid& y) {
    int64_t tx = g.Time(x), ty = g.Time(y);
    return tx != ty ? tx > ty : git_oid_cmp(&x, &y) < 0;
  });
  return best.front();
}

Result<std::vector<git_oid>> ShallowCommitsBetween(git_repository* repo, const git_oid& base,
                                                   const git_oid& head) {
  ShallowGraph g(repo);
  auto hidden = g.Ancestors(base);
  if (!hidden) return hidden.error();
  auto shown = g.Ancestors(head);
  if (!shown) return shown.error();
  std::vector<std::pair<int64_t, git_oid>> out;
  for (const auto& c : *shown) {
    if (!hidden->count(c)) out.emplace_back(g.Time(c), c);
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : git_oid_cmp(&x.second, &y.second) < 0;
  });
  std::vector<git_oid> ids;
  for (const auto& [t, c] : out) ids.push_back(c);
  return ids;
}

}  // namespace ringfence::git
