#include "engine/model/build_config.h"

#include <algorithm>
#include <array>

namespace ringfence {
namespace {

constexpr std::array<std::string_view, 18> kGoos = {
    "aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",    "illumos", "ios",     "js",
    "linux", "nacl",    "netbsd", "openbsd",   "plan9",   "solaris", "wasip1",  "windows", "zos"};
constexpr std::array<std::string_view, 12> kUnixGoos = {"aix",     "android", "darwin",  "dragonfly",
                                                        "freebsd", "hurd",    "illumos", "ios",
                                                        "linux",   "netbsd",  "openbsd", "solaris"};
constexpr std::array<std::string_view, 25> kGoarch = {
    "386",     "amd64",  "amd64p32", "arm",       "armbe",       "arm64", "arm64be", "loong64", "mips",
    "mipsle",  "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc",   "ppc64",   "ppc64le", "riscv",
    "riscv64", "s390",   "s390x",    "sparc",     "sparc64",     "wasm",  "sw64"};

template <size_t N>
bool In(const std::array<std::string_view, N>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

}  // namespace

bool IsKnownGoos(std::string_view os) { return In(kGoos, os); }
bool IsKnownGoarch(std::string_view arch) { return In(kGoarch, arch); }
bool IsUnixGoos(std::string_view os) { return In(kUnixGoos, os); }

Result<Platform> ParsePlatform(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos)
    return Error::InvalidInput("platform '" + text + "' is not OS/ARCH (e.g. linux/amd64)");
  Platform p{text.substr(0, slash), text.substr(slash + 1)};
  if (!IsKnownGoos(p.os))
    return Error::InvalidInput("platform '" + text + "': unknown OS '" + p.os + "' (Go's GOOS names)");
  if (!IsKnownGoarch(p.arch))
    return Error::InvalidInput("platform '" + text + "': unknown architecture '" + p.arch +
                               "' (Go's GOARCH names)");
  return p;
}

std::string ToString(const Platform& p) { return p.os + "/" + p.arch; }

Result<MacroDefinition> ParseDefine(const std::string& text) {
  size_t eq = text.find('=');
  MacroDefinition d{text.substr(0, eq), eq == std::string::npos ? "1" : text.substr(eq + 1)};
  if (!IsIdentifier(d.name))
    return Error::InvalidInput("definition '" + text + "': '" + d.name + "' is not a macro name");
  return d;
}

std::string BuildConfig::Key() const {
  std::string key;
  for (const auto& p : platforms) key += "p:" + ToString(p) + ";";
  for (const auto& m : macros) key += (m.value ? "D:" + m.name + "=" + *m.value : "U:" + m.name) + ";";
  return key;
}

}  // namespace ringfence
