#include "adapters/debian/installed_packages.h"

#include <vector>

#include "adapters/common/run_tool.h"

namespace ringfence::debian {

Result<std::string> PackageOwning(const std::string& path) {
  std::vector<std::string> candidates = {path};
  if (path.rfind("/usr/", 0) == 0)
    candidates.push_back(path.substr(4));
  else
    candidates.push_back("/usr" + path);
  for (const auto& p : candidates) {
    auto r = RunTool({"dpkg-query", "--search", "--", p}, {CleanToolEnvironment(), "", 64 << 20});
    if (!r) return r.error();
    if (r->exit_code != 0) continue;
    // "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6"; diversions print "diversion by ..." lines.
    size_t at = 0;
    while (at < r->out.size()) {
      size_t end = r->out.find('\n', at);
      std::string line = r->out.substr(at, end == std::string::npos ? std::string::npos : end - at);
      at = end == std::string::npos ? r->out.size() : end + 1;
      auto sep = line.find(": ");
      if (sep == std::string::npos || line.rfind("diversion ", 0) == 0) continue;
      if (line.substr(sep + 2) != p) continue;
      std::string owner = line.substr(0, sep);
      if (owner.find(',') != std::string::npos)
        owner = owner.substr(0, owner.find(','));  // shared directories
      return owner;
    }
  }
  return Error::NotFound("no installed package owns " + path);
}

Result<DebianPackage> InstalledPackage(const std::string& name) {
  auto out = RunToolOk(
      {"dpkg-query", "--show", "--showformat",
       "${Package}\\t${Version}\\t${Architecture}\\t${source:Package}\\t${source:Version}\\t${db:Status-"
       "Status}\\n",
       "--", name});
  if (!out) return out.error();
  std::vector<std::string> fields;
  std::string line = out->substr(0, out->find('\n'));
  size_t at = 0;
  while (true) {
    size_t tab = line.find('\t', at);
    fields.push_back(line.substr(at, tab == std::string::npos ? std::string::npos : tab - at));
    if (tab == std::string::npos) break;
    at = tab + 1;
  }
  if (fields.size() != 6 || fields[0].empty() || fields[1].empty())
    return Error::Io("dpkg-query printed no record for " + name);
  if (fields[5] != "installed") return Error::NotFound(name + " is not installed (" + fields[5] + ")");
  DebianPackage p;
  p.name = fields[0];
  p.version = fields[1];
  p.architecture = fields[2];
  p.source = fields[3].empty() ? p.name : fields[3];
  p.source_version = fields[4].empty() ? p.version : fields[4];
  return p;
}

}  // namespace ringfence::debian
