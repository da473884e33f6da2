#include <catch2/catch.hpp>

#include "engine/scanners/file_scan.h"

using namespace ringfence;

namespace {

std::vector<std::string> Specs(Language lang, const std::string& text) {
  std::vector<std::string> out;
  for (const auto& i : ScanFile(lang, text).imports) out.push_back(i.spec + "@" + std::to_string(i.line));
  return out;
}

}  // namespace

TEST_CASE("languages by file name") {
  CHECK(LanguageOf("a/b.cc") == Language::kCpp);
  CHECK(LanguageOf("x.hpp") == Language::kCpp);
  CHECK(LanguageOf("m.pyi") == Language::kPython);
  CHECK(LanguageOf("c.tsx") == Language::kJavaScript);
  CHECK(LanguageOf("go.mod") == Language::kNone);
  CHECK(LanguageOf("A.java") == Language::kJava);
  CHECK(LanguageOf(".hidden") == Language::kNone);
  CHECK(LanguageOf("Makefile") == Language::kNone);
}

TEST_CASE("c++: quoted and angle includes, comments skipped") {
  auto scan = ScanFile(Language::kCpp,
                       "#include \"a/b.h\"\n"
                       "  #  include <vector>\n"
                       "/* #include \"commented.h\"\n"
                       "   still comment */ #include \"after.h\"\n"
                       "#include_next <next.h>\n"
                       "#import \"objc.h\"\n"
                       "#define include \"not.h\"\n");
  REQUIRE(scan.imports.size() == 5);
  CHECK(scan.imports[0].spec == "a/b.h");
  CHECK(scan.imports[0].flags == 0);
  CHECK(scan.imports[1].spec == "vector");
  CHECK(scan.imports[1].flags == ImportRef::kAngle);
  CHECK(scan.imports[2].spec == "after.h");
  CHECK(scan.imports[2].line == 4);
  CHECK(scan.imports[3].spec == "next.h");
  CHECK(scan.imports[4].spec == "objc.h");
}

TEST_CASE("python: import forms, continuation, docstrings") {
  auto s = Specs(Language::kPython,
                 "import os, pkg.mod as m\n"
                 "from . import sibling\n"
                 "from ..up.mod import (\n"
                 "    a,\n"
                 "    b as c,\n"
                 ")\n"
                 "\"\"\"\n"
                 "import not_this\n"
                 "\"\"\"\n"
                 "def f():\n"
                 "    import inner  # late import\n"
                 "x = 'import nope'\n"
                 "from pkg \\\n"
                 "    import z\n"
                 "import a; import b\n");
  std::vector<std::string> expected = {"os@1",       "pkg.mod@1",    ".@2",          ".sibling@2",
                                       "..up.mod@3", "..up.mod.a@3", "..up.mod.b@3", "inner@11",
                                       "pkg@13",     "pkg.z@13",     "a@15",         "b@15"};
  CHECK(s == expected);
  auto scan = ScanFile(Language::kPython, "from x import y\n");
  REQUIRE(scan.imports.size() == 2);
  CHECK(scan.imports[1].flags == ImportRef::kOptional);
}

TEST_CASE("javascript/typescript: import, export-from, require, dynamic import") {
  auto s = Specs(Language::kJavaScript,
                 "import React from 'react';\n"
                 "import { a,\n  b } from \"./ab\";\n"
                 "import './side-effect.css';\n"
                 "import type { T } from '@scope/pkg/types';\n"
                 "export * from './reexport';\n"
                 "export { x as y } from '../up';\n"
                 "const c = require('./cjs');\n"
                 "const lazy = () => import('./lazy');\n"
                 "// import nope from './comment';\n"
                 "/* require('./block') */\n"
                 "const str = \"import x from './in-string'\";\n"
                 "obj.require('./member');\n"
                 "const t = `${import('./templ')}`;\n");
  std::vector<std::string> expected = {
      "react@1", "./ab@3",  "./side-effect.css@4", "@scope/pkg/types@5", "./reexport@6", "../up@7",
      "./cjs@8", "./lazy@9"};
  CHECK(s == expected);
}

TEST_CASE("go: package, single and grouped imports") {
  auto scan = ScanFile(Language::kGo,
                       "// Package api does things.\n"
                       "package api\n\n"
                       "import \"fmt\"\n"
                       "import (\n"
                       "\tl \"example.com/m/ledger\"\n"
                       "\t_ `example.com/m/raw`\n"
                       "\t// \"example.com/m/commented\"\n"
                       ")\n"
                       "func f() { _ = \"import \\\"x\\\"\" }\n");
  CHECK(scan.package == "api");
  REQUIRE(scan.imports.size() == 3);
  CHECK(scan.imports[0].spec == "fmt");
  CHECK(scan.imports[1].spec == "example.com/m/ledger");
  CHECK(scan.imports[1].line == 6);
  CHECK(scan.imports[2].spec == "example.com/m/raw");
}

TEST_CASE("java: package, imports, static and wildcard") {
  auto scan = ScanFile(Language::kJava,
                       "/* header\n import fake.Thing; */\n"
                       "package com.shop;\n"
                       "import com.shop.util.Money;\n"
                       "import static com.shop.util.Money.cents;\n"
                       "import com.shop.model.*;\n");
  CHECK(scan.package == "com.shop");
  REQUIRE(scan.imports.size() == 3);
  CHECK(scan.imports[0].spec == "com.shop.util.Money");
  CHECK(scan.imports[1].spec == "com.shop.util.Money.cents");
  CHECK(scan.imports[2].spec == "com.shop.model.*");
}

TEST_CASE("a NUL byte or UTF-16 does not hide imports, and content with none says why") {
  std::string nul("#include \"a.h\"\n\0\1\2", 18);
  auto with_nul = ScanFile(Language::kCpp, nul);
  REQUIRE(with_nul.imports.size() == 1);
  CHECK(with_nul.imports[0].spec == "a.h");
  std::string utf16("\xFF\xFE", 2);
  for (char c : std::string("import os\n")) utf16 += std::string(1, c) + std::string(1, '\0');
  auto wide = ScanFile(Language::kPython, utf16);
  REQUIRE(wide.imports.size() == 1);
  CHECK(wide.imports[0].spec == "os");
  auto binary = ScanFile(Language::kCpp, std::string("\x89PNG\r\n\x1a\n\xff\xfe\xfd\x00\x01", 13));
  CHECK(binary.imports.empty());
  CHECK(!binary.unscanned.empty());
  std::string huge = "#include \"a.h\"\n" + std::string(kMaxScanBytes, ' ');
  auto big = ScanFile(Language::kCpp, huge);
  CHECK(big.imports.empty());
  CHECK(big.unscanned.find("MiB") != std::string::npos);
}
