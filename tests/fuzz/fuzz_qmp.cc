// Lines a QEMU (or anything on its QMP socket) sends: never crash; errors name QMP.
#include <string_view>

#include "adapters/backends/qemu/qmp.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = ringfence::backends::ParseQmpMessage(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!m && m.error().message.rfind("QMP: ", 0) != 0) __builtin_trap();
  return 0;
}
