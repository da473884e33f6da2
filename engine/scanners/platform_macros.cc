#include "engine/scanners/platform_macros.h"

#include <algorithm>
#include <set>
#include <vector>

namespace ringfence {
namespace {

struct Entry {
  std::string_view key;  // a GOOS or GOARCH
  std::vector<std::string_view> macros;
};

const std::vector<Entry>& SystemMacros() {
  static const std::vector<Entry> kSystems = {
      {"linux", {"__linux__", "__linux", "__gnu_linux__", "__unix__", "__unix", "__ELF__"}},
      {"android", {"__ANDROID__", "__linux__", "__linux", "__unix__", "__unix", "__ELF__"}},
      {"darwin", {"__APPLE__", "__MACH__"}},
      {"ios", {"__APPLE__", "__MACH__"}},
      {"windows", {"_WIN32"}},
      {"freebsd", {"__FreeBSD__", "__unix__", "__unix", "__ELF__"}},
      {"openbsd", {"__OpenBSD__", "__unix__", "__unix", "__ELF__"}},
      {"netbsd", {"__NetBSD__", "__unix__", "__unix", "__ELF__"}},
      {"dragonfly", {"__DragonFly__", "__unix__", "__unix", "__ELF__"}},
      {"solaris", {"__sun", "__sun__", "__SVR4", "__svr4__", "__unix__", "__unix", "__ELF__"}},
      {"illumos", {"__sun", "__sun__", "__SVR4", "__svr4__", "__illumos__", "__unix__", "__unix", "__ELF__"}},
      {"aix", {"_AIX"}},
      {"hurd", {"__GNU__", "__gnu_hurd__", "__unix__", "__unix", "__ELF__"}},
      {"zos", {"__MVS__"}},
      {"js", {"__EMSCRIPTEN__"}},
      {"wasip1", {"__wasi__"}},
      {"plan9", {}},
      {"nacl", {}},
      // Systems Go has no name for: never the target.
      {"", {"__HAIKU__", "__QNX__", "__QNXNTO__", "__hpux", "__OS400__", "__Fuchsia__"}},
  };
  return kSystems;
}

const std::vector<Entry>& ArchitectureMacros() {
  static const std::vector<Entry> kArchitectures = {
      {"amd64", {"__x86_64__", "__x86_64", "__amd64__", "__amd64"}},
      {"386", {"__i386__", "__i386"}},
      {"arm64", {"__aarch64__"}},
      {"arm", {"__arm__"}},
      {"ppc64", {"__powerpc64__", "__ppc64__", "__PPC64__", "__powerpc__", "__PPC__"}},
      {"ppc64le", {"__powerpc64__", "__ppc64__", "__PPC64__", "__powerpc__", "__PPC__"}},
      {"ppc", {"__powerpc__", "__PPC__"}},
      {"s390x", {"__s390x__", "__s390__"}},
      {"mips", {"__mips__", "__mips"}},
      {"mipsle", {"__mips__", "__mips"}},
      {"mips64", {"__mips__", "__mips", "__mips64"}},
      {"mips64le", {"__mips__", "__mips", "__mips64"}},
      {"riscv64", {"__riscv"}},
      {"loong64", {"__loongarch__", "__loongarch64"}},
      {"wasm", {"__wasm__", "__wasm32__"}},
      {"sparc64", {"__sparc__", "__sparc", "__sparc64__"}},
  };
  return kArchitectures;
}

// MSVC's, MinGW's and Cygwin's macros: a Windows target may or may not have them, no other target does.
constexpr std::string_view kWindowsToolchain[] = {"_MSC_VER",   "__MINGW32__", "__MINGW64__",
                                                  "__CYGWIN__", "_M_X64",      "_M_AMD64",
                                                  "_M_IX86",    "_M_ARM64",    "_M_ARM"};

bool Is64Bit(std::string_view arch) {
  return arch == "amd64" || arch == "arm64" || arch == "ppc64" || arch == "ppc64le" || arch == "s390x" ||
         arch == "mips64" || arch == "mips64le" || arch == "riscv64" || arch == "loong64" ||
         arch == "sparc64";
}

void Decide(const std::vector<Entry>& table, std::string_view key, MacroScope& scope) {
  for (const auto& e : table) {
    for (auto m : e.macros) {
      if (e.key == key) scope.defined.emplace(std::string(m), "1");
    }
  }
  for (const auto& e : table) {
    for (auto m : e.macros) {
      if (!scope.defined.count(std::string(m))) scope.undefined.emplace(m);
    }
  }
}

}  // namespace

MacroScope PlatformMacros(const Platform& p) {
  MacroScope scope;
  Decide(SystemMacros(), p.os, scope);
  Decide(ArchitectureMacros(), p.arch, scope);
  bool windows = p.os == "windows";
  if (windows && Is64Bit(p.arch)) scope.defined.emplace("_WIN64", "1");
  if (!scope.defined.count("_WIN64")) scope.undefined.emplace("_WIN64");
  for (const char* lp64 : {"__LP64__", "_LP64"}) {
    if (!windows && Is64Bit(p.arch))
      scope.defined.emplace(lp64, "1");
    else
      scope.undefined.emplace(lp64);
  }
  if (!windows) {
    for (auto m : kWindowsToolchain) scope.undefined.emplace(m);
  }
  return scope;
}

bool IsPlatformMacro(std::string_view name) {
  static const std::set<std::string, std::less<>> kAll = [] {
    std::set<std::string, std::less<>> all{"_WIN64", "__LP64__", "_LP64"};
    for (const auto* table : {&SystemMacros(), &ArchitectureMacros()}) {
      for (const auto& e : *table) all.insert(e.macros.begin(), e.macros.end());
    }
    all.insert(std::begin(kWindowsToolchain), std::end(kWindowsToolchain));
    return all;
  }();
  return kAll.count(name) > 0;
}

}  // namespace ringfence
