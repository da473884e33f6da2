// Class 2: authorship as git's own rules see it. A 30-file change (ai.size denies it for an AI
// author) is committed under every disguise of an AI author; each is still AI, and still denied.
#include "tests/security/security_fixture.h"

using namespace ringfence::testing;

namespace {

void ThirtyFiles(const ShopRepo& repo) {
  for (int i = 0; i < 30; ++i)
    repo.Write("web/f" + std::to_string(i) + ".ts", "export const v = " + std::to_string(i) + ";\n");
}

}  // namespace

TEST_CASE("an AI author is recognised however the commit says so") {
  struct Variant {
    const char* name;
    const char* author;
    const char* message;
  };
  const Variant variants[] = {
      {"co-authored-by in lower case", "Dana <dana@shop.example>",
       "split\n\nco-authored-by: Claude <noreply@anthropic.com>"},
      {"CO-AUTHORED-BY in upper case", "Dana <dana@shop.example>",
       "split\n\nCO-AUTHORED-BY: Devin <devin-ai-integration[bot]@users.noreply.github.com>"},
      {"a space before the colon", "Dana <dana@shop.example>", "split\n\nAssisted-by : some agent"},
      {"CRLF line ends", "Dana <dana@shop.example>", "split\r\n\r\nAssisted-by: coding-agent\r\n"},
      {"an AI key outside the trailer block", "Dana <dana@shop.example>",
       "split\n\nAssisted-by: coding-agent\nsee https://example.com/ticket/1 for why"},
      {"the agent's own identity, no trailer",
       "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>", "split"},
      {"Cursor's agent identity", "Cursor Agent <cursoragent@cursor.com>", "split"},
      {"Jules' bot login",
       "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>", "split"},
  };
  for (const auto& v : variants) {
    DYNAMIC_SECTION(v.name) {
      ShopRepo repo;
      ThirtyFiles(repo);
      repo.CommitAs(v.author, v.message);
      auto r = repo.Check();
      INFO(r.err << r.verdict.dump(2));
      CHECK(r.verdict["author"]["kind"] == "ai");
      CHECK(r.exit_code == kDeny);
      CHECK(r.HasFired("ai.size"));
    }
  }
}

TEST_CASE("every commit counts, merge commits and the commits they bring included") {
  ShopRepo repo;
  repo.Git({"checkout", "-q", "-b", "agent-work"});
  ThirtyFiles(repo);
  repo.CommitAs("Dana <dana@shop.example>", "bulk\n\nAssisted-by: coding-agent");
  repo.Git({"checkout", "-q", "feature"});
  repo.Write("web/app.ts", "export const x = 3;\n");
  repo.CommitAs("Sam <sam@shop.example>", "human work");
  repo.Git({"merge", "-q", "--no-ff", "--no-edit", "agent-work"});
  auto r = repo.Check();
  INFO(r.verdict.dump(2));
  CHECK(r.verdict["author"]["kind"] == "ai");
  CHECK(r.exit_code == kDeny);
}

TEST_CASE("the same change by a human passes, and bot patterns read brackets literally") {
  ShopRepo repo;
  ThirtyFiles(repo);
  repo.CommitAs("Scott <scott@shop.example>", "split");  // "*[bot]" once matched "Scott" as a class
  auto human = repo.Check();
  INFO(human.err << human.verdict.dump(2));
  CHECK(human.verdict["author"]["kind"] == "human");
  CHECK(human.exit_code == kAllow);

  ShopRepo bot;
  ThirtyFiles(bot);
  bot.CommitAs("helper[bot] <helper@bots.example>", "split");
  CHECK(bot.Check().verdict["author"]["kind"] == "bot");
}
