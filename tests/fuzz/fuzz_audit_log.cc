// Audit logs as found on disk (possibly tampered with): never crash; a rejected log names a line.
#include <string>

#include "adapters/store/audit_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = ringfence::store::VerifyAuditText(std::string(reinterpret_cast<const char*>(data), size), "a.log",
                                             size % 2 ? "a-key-of-sixteen-bytes" : "");
  if (!r && r.error().message.rfind("a.log:", 0) != 0) __builtin_trap();
  return 0;
}
