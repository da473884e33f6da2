#include "adapters/store/lease_holder.h"

#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace ringfence::store {
namespace {

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "host";
  return host;
}

// Field 22 of /proc/<pid>/stat, or "" when the process does not exist.
std::string StartTicks(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return "";
  size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return "";
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(rest >> field)) return "";
  }
  return field;
}

}  // namespace

std::string NewLeaseHolder() {
  std::random_device rd;
  char nonce[16];
  std::snprintf(nonce, sizeof nonce, "%08x", rd());
  return HostName() + ":" + std::to_string(getpid()) + ":" + StartTicks(getpid()) + ":" + nonce;
}

bool LeaseHolderAlive(const std::string& holder) {
  std::vector<std::string> parts;
  std::stringstream in(holder);
  std::string part;
  while (std::getline(in, part, ':')) parts.push_back(part);
  if (parts.size() != 4 || parts[0] != HostName()) return true;
  try {
    long pid = std::stol(parts[1]);
    return pid > 1 && StartTicks(pid) == parts[2];
  } catch (const std::exception&) {
    return true;
  }
}

}  // namespace ringfence::store
