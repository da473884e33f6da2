// What a C/C++ compiler predefines to name its target: the system's and the architecture's
// macros are defined, the other systems' and architectures' macros are not. Toolchain macros
// that differ between compilers of one platform (`__GNUC__`, `_MSC_VER` on Windows) stay unknown.
#pragma once

#include <string_view>

#include "engine/model/build_config.h"
#include "engine/scanners/cpp_condition.h"

namespace ringfence {

MacroScope PlatformMacros(const Platform& p);

// True for the names PlatformMacros decides (defined or undefined) on some platform.
bool IsPlatformMacro(std::string_view name);

}  // namespace ringfence
