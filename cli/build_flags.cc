#include "cli/build_flags.h"

namespace ringfence::cli {

void AddBuildFlags(CLI::App& sub, BuildConfig& build) {
  sub.add_option_function<std::vector<std::string>>(
         "--platform",
         [&build](const std::vector<std::string>& values) {
           for (const auto& v : values) {
             auto p = ParsePlatform(v);
             if (!p) throw CLI::ValidationError("--platform", p.error().message);
             build.platforms.push_back(*p);
           }
         },
         "A target OS/ARCH (GOOS/GOARCH names, e.g. linux/amd64), repeatable: imports that no "
         "target compiles (#if, Go build constraints) are not edges")
      ->type_name("OS/ARCH");
  sub.add_option_function<std::vector<std::string>>(
         "--define",
         [&build](const std::vector<std::string>& values) {
           for (const auto& v : values) {
             auto d = ParseDefine(v);
             if (!d) throw CLI::ValidationError("--define", d.error().message);
             build.macros.push_back(*d);
           }
         },
         "A C/C++ macro every build defines, NAME[=VALUE], repeatable")
      ->type_name("NAME[=VALUE]");
  sub.add_option_function<std::vector<std::string>>(
         "--undefine",
         [&build](const std::vector<std::string>& values) {
           for (const auto& v : values) {
             auto d = ParseDefine(v);
             if (!d || v.find('=') != std::string::npos)
               throw CLI::ValidationError("--undefine", "'" + v + "' is not a macro name");
             build.macros.push_back({d->name, std::nullopt});
           }
         },
         "A C/C++ macro no build defines, repeatable")
      ->type_name("NAME");
}

}  // namespace ringfence::cli
