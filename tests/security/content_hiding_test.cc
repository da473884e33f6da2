// Class 1: content the change hides from content rules. The same IAM wildcard, presented so that
// git (or a naive gate) would not show it as added text, is still denied by the shipped packs.
#include "tests/security/security_fixture.h"

using namespace ringfence::testing;

namespace {

const std::string kWildcard = "{\n  \"Action\": \"*\"\n}\n";

std::string Utf16(const std::string& ascii, bool big_endian, bool bom) {
  std::string out = bom ? (big_endian ? std::string("\xFE\xFF", 2) : std::string("\xFF\xFE", 2)) : "";
  for (char c : ascii) out += big_endian ? std::string(1, '\0') + c : std::string(1, c) + '\0';
  return out;
}

std::string Utf32Le(const std::string& ascii) {
  std::string out("\xFF\xFE\0\0", 4);
  for (char c : ascii) out += std::string(1, c) + std::string(3, '\0');
  return out;
}

}  // namespace

TEST_CASE("the wildcard policy is denied however it is presented") {
  struct Variant {
    const char* name;
    std::string content;
    std::string attributes;  // a .gitattributes the change adds ("" for none)
  };
  std::vector<Variant> variants = {
      {"plain", kWildcard, ""},
      {"-diff attribute", kWildcard, "*.json -diff\n"},
      {"binary attribute on the path", kWildcard, "infra/policy.json binary\n"},
      {"a NUL byte in the first 8000 bytes", "{\"pad\": \"\0\",\n  \"Action\": \"*\"\n}\n", ""},
      {"UTF-16LE with a BOM", Utf16(kWildcard, false, true), ""},
      {"UTF-16BE without a BOM", Utf16(kWildcard, true, false), ""},
      {"UTF-32LE", Utf32Le(kWildcard), ""},
  };
  variants[3].content = std::string("{\"pad\": \"\0\",\n  \"Action\": \"*\"\n}\n", 32);
  for (const auto& v : variants) {
    DYNAMIC_SECTION(v.name) {
      for (bool ai : {true, false}) {
        ShopRepo repo;
        repo.Write("infra/policy.json", v.content);
        if (!v.attributes.empty()) repo.Write(".gitattributes", v.attributes);
        if (ai)
          repo.CommitAi("widen the policy");
        else
          repo.CommitAs("Dana <dana@shop.example>", "widen the policy");
        auto r = repo.Check();
        INFO(v.name << (ai ? " (AI)" : " (human)") << ": " << r.err << r.verdict.dump(2));
        CHECK(r.exit_code == kDeny);
        CHECK(r.HasFired("iam.wildcard-action"));
        bool cited = false;
        for (const auto& f : r.verdict["fired"]) {
          if (f["rule"] != "iam.wildcard-action") continue;
          cited = f["evidence"][0]["file"] == "infra/policy.json" && f["evidence"][0]["line"] == 2;
        }
        CHECK(cited);  // the decoded line 2, not a byte offset of the raw file
      }
    }
  }
}

TEST_CASE("a .gitattributes file is a guard file, and attributes never come from the head") {
  ShopRepo repo;
  repo.Write("web/app.ts", "export const x = 2;\n");
  repo.Write("web/.gitattributes", "*.ts binary\n");
  repo.CommitAi("quiet diff");
  auto r = repo.Check();
  INFO(r.err << r.verdict.dump(2));
  CHECK(r.exit_code == kNeedsApproval);
  CHECK(r.HasFired("builtin.guardrails-self-protection"));
  // The line counts are the text's, whatever the attribute says.
  for (const auto& f : r.verdict["scope"]["unresolved"]) CHECK(f != "web/app.ts");
}

TEST_CASE("content that decodes as no text is a fact, and an AI change carrying it needs a person") {
  ShopRepo repo;
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe\xfd\xfc", 21);
  repo.Write("web/logo.png", png);
  repo.CommitAi("add a logo");
  auto r = repo.Check();
  INFO(r.err << r.verdict.dump(2));
  CHECK(r.exit_code == kNeedsApproval);
  CHECK(r.HasFired("ai.uninspectable"));
  CHECK(r.Cites("ai.uninspectable", "not text in UTF-8"));
  CHECK(repo.Check({"--approved-by", "@web"}).exit_code == kAllow);  // the owner of web/ may approve
}

TEST_CASE("a source file too large to scan makes the scope indeterminate, never quietly smaller") {
  ShopRepo repo;
  std::string huge = "import services.auth.token\n" + std::string(17u << 20, '#') + "\n";
  repo.Write("web/generated_big.py", huge);
  repo.CommitAs("Dana <dana@shop.example>", "vendored blob");
  auto r = repo.Check();
  INFO(r.err);
  CHECK(r.exit_code == kIndeterminate);
  bool named = false;
  for (const auto& why : r.verdict["indeterminate"]) {
    named = named || why.get<std::string>().find("web/generated_big.py") != std::string::npos;
  }
  CHECK(named);
}
