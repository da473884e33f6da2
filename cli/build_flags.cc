#include "cli/build_flags.h"

namespace ringfence::cli {
namespace {

// A repeatable option whose every value goes through `parse`; a value it refuses is a usage error
// naming the flag.
template <class Parse>
CLI::Option* AddParsed(CLI::App& sub, const std::string& flag, Parse parse, const std::string& help) {
  return sub.add_option_function<std::vector<std::string>>(
      flag,
      [flag, parse](const std::vector<std::string>& values) {
        for (const auto& v : values) {
          if (Status st = parse(v); !st) throw CLI::ValidationError(flag, st.error().message);
        }
      },
      help);
}

}  // namespace

void AddBuildFlags(CLI::App& sub, BuildConfig& build) {
  AddParsed(
      sub, "--platform",
      [&build](const std::string& v) -> Status {
        auto p = ParsePlatform(v);
        if (!p) return p.error();
        build.platforms.push_back(*p);
        return Status::Ok();
      },
      "A target OS/ARCH (GOOS/GOARCH names, e.g. linux/amd64), repeatable: imports that no target compiles "
      "(#if, Go build constraints) are not edges")
      ->type_name("OS/ARCH");
  AddParsed(
      sub, "--define",
      [&build](const std::string& v) -> Status {
        auto d = ParseDefine(v);
        if (!d) return d.error();
        build.macros.push_back(*d);
        return Status::Ok();
      },
      "A C/C++ macro every build defines, NAME[=VALUE], repeatable")
      ->type_name("NAME[=VALUE]");
  AddParsed(
      sub, "--undefine",
      [&build](const std::string& v) -> Status {
        auto d = ParseDefine(v);
        if (!d || v.find('=') != std::string::npos)
          return Error::InvalidInput("'" + v + "' is not a macro name");
        build.macros.push_back({d->name, std::nullopt});
        return Status::Ok();
      },
      "A C/C++ macro no build defines, repeatable")
      ->type_name("NAME");
}

}  // namespace ringfence::cli
