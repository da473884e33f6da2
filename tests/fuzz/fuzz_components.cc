// .ringfence/components.yaml: any input yields a components file or a positioned error.
#include <string>

#include "engine/graph/components_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto file = ringfence::ComponentsFile::Parse(text, "components.yaml");
  if (file)
    (void)file->Match("services/auth/token.cc");
  else if (file.error().message.rfind("components.yaml", 0) != 0)
    __builtin_trap();  // errors name the file
  return 0;
}
