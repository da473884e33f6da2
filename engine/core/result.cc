#include "engine/core/result.h"

namespace ringfence {

std::string Position(const std::string& path, int line, int col) {
  std::string s = path;
  if (line > 0) s += ":" + std::to_string(line);
  if (line > 0 && col > 0) s += ":" + std::to_string(col);
  return s + ": ";
}

}  // namespace ringfence
