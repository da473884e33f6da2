#include "adapters/image/osv_database.h"

#include <algorithm>

#include "adapters/common/files.h"
#include "adapters/common/sha256.h"

namespace ringfence::image {

Result<OsvDatabase> LoadOsvDatabase(const std::string& dir) {
  auto names = ListFilesNoFollow(dir);
  if (!names) return names.error().Wrap("the vulnerability database");
  std::sort(names->begin(), names->end());
  OsvDatabase db;
  std::string lines;
  for (const auto& path : *names) {  // full paths
    std::string name = path.substr(path.rfind('/') + 1);
    if (name.size() < 6 || name.substr(name.size() - 5) != ".json") continue;
    auto text = ReadFileNoFollow(path);
    if (!text) return text.error();
    auto rec = ParseOsvRecord(*text, path);
    if (!rec) return rec.error();
    lines += name + '\0' + Sha256Hex(*text) + "\n";
    db.records.push_back(std::move(*rec));
  }
  if (db.records.empty())
    return Error::InvalidInput(dir + ": no OSV records (*.json): an empty database is no scan");
  db.digest = "sha256:" + Sha256Hex(lines);
  return db;
}

}  // namespace ringfence::image
