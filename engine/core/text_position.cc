#include "engine/core/text_position.h"

namespace ringfence {

std::string LineColumn(std::string_view text, size_t offset) {
  int line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    col = text[i] == '\n' ? 1 : col + 1;
    line += text[i] == '\n';
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

}  // namespace ringfence
