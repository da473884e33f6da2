// Conditional imports: the C/C++ `#if` evaluator, the conditions the C/C++ scanner records, the
// platform macros, and Go's build constraints.
#include <catch2/catch.hpp>

#include "engine/model/build_config.h"
#include "engine/scanners/cpp_condition.h"
#include "engine/scanners/file_scan.h"
#include "engine/scanners/go_build_constraint.h"
#include "engine/scanners/platform_macros.h"

using namespace ringfence;

namespace {

Tristate Eval(const std::string& expr) {
  MacroScope s;
  s.defined = {{"ONE", "1"}, {"VER", "0x0600"}, {"ALIAS", "VER + 1"}, {"EMPTY", ""}, {"LOOP", "LOOP"}};
  s.undefined = {"GONE"};
  return EvaluateCppCondition(expr, s);
}

Platform P(const std::string& text) { return *ParsePlatform(text); }

}  // namespace

TEST_CASE("#if conditions: known macros decide, unknown ones leave the answer open") {
  CHECK(Eval("defined(ONE)") == Tristate::kTrue);
  CHECK(Eval("defined ONE && !defined(GONE)") == Tristate::kTrue);
  CHECK(Eval("defined(GONE)") == Tristate::kFalse);
  CHECK(Eval("GONE") == Tristate::kFalse);  // an undefined macro is 0
  CHECK(Eval("defined(OTHER)") == Tristate::kUnknown);
  CHECK(Eval("OTHER") == Tristate::kUnknown);
  // An unknown operand decides nothing unless the other side does.
  CHECK(Eval("defined(GONE) && defined(OTHER)") == Tristate::kFalse);
  CHECK(Eval("defined(ONE) || defined(OTHER)") == Tristate::kTrue);
  CHECK(Eval("defined(ONE) && defined(OTHER)") == Tristate::kUnknown);
  CHECK(Eval("!defined(OTHER)") == Tristate::kUnknown);
  // Values, replacement text, arithmetic and the conditional operator.
  CHECK(Eval("VER >= 0x0600") == Tristate::kTrue);
  CHECK(Eval("VER > 01000 && ALIAS == 1537") == Tristate::kTrue);
  CHECK(Eval("(ONE << 4) - 15 == ONE ? 1 : 0") == Tristate::kTrue);
  CHECK(Eval("ONE / GONE") == Tristate::kUnknown);  // division by zero is no answer
  CHECK(Eval("100UL > 99L") == Tristate::kTrue);
  // What the evaluator does not model is unknown, never false.
  CHECK(Eval("__has_include(<x.h>)") == Tristate::kUnknown);
  CHECK(Eval("GONE_FN(2) || 0") == Tristate::kUnknown);
  CHECK(Eval("EMPTY") == Tristate::kUnknown);
  CHECK(Eval("LOOP") == Tristate::kUnknown);  // self-reference stops, unknown
  CHECK(Eval("ONE +") == Tristate::kUnknown);
  CHECK(Eval("'a' == 97") == Tristate::kUnknown);
  CHECK(Eval("") == Tristate::kUnknown);
}

TEST_CASE("platform macros: the target's system and architecture are defined, the others are not") {
  MacroScope linux_amd64 = PlatformMacros(P("linux/amd64"));
  CHECK(EvaluateCppCondition("defined(__linux__) && defined(__x86_64__) && __LP64__", linux_amd64) ==
        Tristate::kTrue);
  CHECK(EvaluateCppCondition("defined(_WIN32) || defined(__APPLE__) || defined(__aarch64__)", linux_amd64) ==
        Tristate::kFalse);
  CHECK(EvaluateCppCondition("defined(_MSC_VER)", linux_amd64) == Tristate::kFalse);
  CHECK(EvaluateCppCondition("defined(__GNUC__)", linux_amd64) == Tristate::kUnknown);  // gcc or clang
  MacroScope windows = PlatformMacros(P("windows/amd64"));
  CHECK(EvaluateCppCondition("defined(_WIN32) && defined(_WIN64) && !defined(__unix__)", windows) ==
        Tristate::kTrue);
  CHECK(EvaluateCppCondition("defined(_MSC_VER)", windows) == Tristate::kUnknown);  // MSVC or MinGW
  CHECK(EvaluateCppCondition("defined(__LP64__)", windows) == Tristate::kFalse);
  MacroScope android = PlatformMacros(P("android/arm64"));
  CHECK(EvaluateCppCondition("defined(__linux__) && defined(__ANDROID__) && defined(__aarch64__)", android) ==
        Tristate::kTrue);
  CHECK(IsPlatformMacro("_WIN32"));
  CHECK_FALSE(IsPlatformMacro("HAVE_CONFIG_H"));
}

TEST_CASE("platforms and definitions are checked as they are parsed") {
  CHECK(ParsePlatform("linux/amd64").ok());
  CHECK(ParsePlatform("linux").error().message.find("is not OS/ARCH") != std::string::npos);
  CHECK(ParsePlatform("linx/amd64").error().message.find("unknown OS 'linx'") != std::string::npos);
  CHECK(ParsePlatform("linux/x86").error().message.find("unknown architecture 'x86'") != std::string::npos);
  CHECK(*ParseDefine("FOO")->value == "1");
  CHECK(*ParseDefine("FOO=0x10")->value == "0x10");
  CHECK_FALSE(ParseDefine("1FOO").ok());
  CHECK_FALSE(ParseDefine("=1").ok());
}

TEST_CASE("c++ scanner: each include carries the conditions around it, include guards are none") {
  auto scan = ScanFile(Language::kCpp,
                       "#pragma once\n"
                       "#ifndef UV_H\n"
                       "#define UV_H\n"
                       "#include \"always.h\"\n"
                       "#if defined(_WIN32) /* windows */\n"
                       "# include \"win.h\"\n"
                       "#elif defined(__APPLE__) || \\\n"
                       "      defined(__MACH__)\n"
                       "# include \"darwin.h\"\n"
                       "#else\n"
                       "# include \"unix.h\"\n"
                       "# ifdef HAVE_X\n"
                       "#  include \"x.h\"\n"
                       "# endif\n"
                       "#endif\n"
                       "#define _WIN32_WINNT 0x0600\n"
                       "#undef __linux__\n"
                       "#endif\n");
  REQUIRE(scan.imports.size() == 5);
  CHECK(scan.imports[0].condition.empty());
  CHECK(scan.imports[1].condition == "defined(_WIN32)");
  CHECK(scan.imports[2].condition == "!defined(_WIN32) && (defined(__APPLE__) || defined(__MACH__))");
  CHECK(scan.imports[2].line == 9);
  CHECK(scan.imports[3].condition == "!defined(_WIN32) && !(defined(__APPLE__) || defined(__MACH__))");
  CHECK(scan.imports[4].condition ==
        "(!defined(_WIN32) && !(defined(__APPLE__) || defined(__MACH__))) && defined(HAVE_X)");
  CHECK(scan.platform_macros == std::vector<std::string>{"__linux__"});
  // Not a guard: the #ifndef is not followed by the #define of its macro.
  auto unguarded = ScanFile(Language::kCpp, "#ifndef FEATURE\n#include \"fallback.h\"\n#endif\n");
  REQUIRE(unguarded.imports.size() == 1);
  CHECK(unguarded.imports[0].condition == "!defined(FEATURE)");
  // An #else of a guard's #if is a condition again.
  auto guarded_else = ScanFile(
      Language::kCpp, "#if !defined(G)\n#define G\n#include \"a.h\"\n#else\n#include \"b.h\"\n#endif\n");
  REQUIRE(guarded_else.imports.size() == 2);
  CHECK(guarded_else.imports[0].condition.empty());
  CHECK(guarded_else.imports[1].condition == "!(!defined(G))");
}

TEST_CASE("go build constraints: file name suffixes and //go:build for a platform") {
  Platform linux = P("linux/amd64"), windows = P("windows/arm64"), android = P("android/arm64");
  CHECK(GoFileInBuild("a/poll_linux.go", "", linux) == Tristate::kTrue);
  CHECK(GoFileInBuild("a/poll_linux.go", "", windows) == Tristate::kFalse);
  CHECK(GoFileInBuild("a/poll_linux.go", "", android) == Tristate::kTrue);  // android implies linux
  CHECK(GoFileInBuild("a/sys_windows_arm64.go", "", windows) == Tristate::kTrue);
  CHECK(GoFileInBuild("a/sys_windows_amd64_test.go", "", windows) == Tristate::kFalse);
  CHECK(GoFileInBuild("a/linux.go", "", windows) == Tristate::kTrue);  // no leading element: no constraint
  CHECK(GoFileInBuild("a/x_amd64.go", "", windows) == Tristate::kFalse);
  CHECK(GoFileInBuild("a/x.go", "linux && !cgo", linux) == Tristate::kUnknown);  // cgo may be on or off
  CHECK(GoFileInBuild("a/x.go", "unix", linux) == Tristate::kTrue);
  CHECK(GoFileInBuild("a/x.go", "unix", windows) == Tristate::kFalse);
  CHECK(GoFileInBuild("a/x.go", "ignore", linux) == Tristate::kFalse);  // an unset tag
  CHECK(GoFileInBuild("a/x.go", "go1.21 && (amd64 || arm64)", linux) == Tristate::kTrue);
  CHECK(GoFileInBuild("a/x.go", "linux &&", linux) == Tristate::kUnknown);  // malformed: kept
  CHECK(GoPlusBuildToExpression({"linux,amd64 darwin", "!cgo"}) == "((linux && amd64) || darwin) && !cgo");
  auto scan =
      ScanFile(Language::kGo, "// Copyright\n\n// +build linux darwin\n\npackage x\n\nimport \"fmt\"\n");
  CHECK(scan.build_constraint == "linux || darwin");
  auto modern = ScanFile(Language::kGo, "//go:build windows\n// +build windows\n\npackage x\n");
  CHECK(modern.build_constraint == "windows");
}
