#include "app/init.h"

namespace ringfence::app {

Result<ComponentsProposal> ProposeComponentsAt(Repository& repo, const std::string& revision) {
  auto tree = repo.TreeAt(revision);
  if (!tree) return tree.error();
  auto files = (*tree)->List();
  if (!files) return files.error();
  if (files->empty()) return Error::InvalidInput(revision + " has no files to propose components for");
  return ProposeComponents(*files, revision);
}

}  // namespace ringfence::app
