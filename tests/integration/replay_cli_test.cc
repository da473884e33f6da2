// `ringfence replay` and `ringfence tune` over the shipped scenario library, as a user runs them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kLibrary = std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents";
const std::string kRules = std::string(RINGFENCE_SOURCE_DIR) + "/rules";

}  // namespace

TEST_CASE("replay: the library's table and summary, the same bytes on every run") {
  auto a = RunRingfence({"replay", kLibrary, "--rules", kRules, "--format", "json"});
  INFO(a.err);
  REQUIRE(a.exit_code == 0);
  auto b = RunRingfence({"replay", kLibrary, "--rules", kRules, "--format", "json"});
  CHECK(a.out == b.out);  // seeded: deterministic, whatever the threads did
  auto j = json::parse(a.out);
  const json& s = j["summary"];
  CHECK(s["incidents"].get<int>() >= 10);
  CHECK(s["healthy"].get<int>() >= 10);
  std::map<std::string, json> by_id;
  for (const auto& r : j["scenarios"]) by_id[r["id"]] = r;
  // Content pushed to every host at once: the gate holds it for staging and the canary rolls the
  // crash loop back within its first step.
  const json& cs = by_id.at("crowdstrike-2024-channel-291");
  CHECK(cs["gate"]["decision"] == "needs_approval");
  CHECK(cs["canary"]["outcome"] == "rolled back");
  CHECK(cs["canary"]["detect_ms"].get<long>() < 10 * 60'000);
  // The binary passed its canary; the data that triggered the bug came later: honestly missed.
  const json& gcp = by_id.at("gcp-2025-service-control");
  CHECK(gcp["caught"] == false);
  CHECK(gcp["canary"]["fault_after_promotion"] == true);
  // An operator command is not a version on sessions: no canary to speak of.
  CHECK(by_id.at("gitlab-2017-db-deletion")["canary"]["applies"] == false);
  // Operator commands are judged by the guard, as `guard check` would judge them: each says what
  // the guard did, and a stopped or held one names the rules.
  for (const char* id : {"gitlab-2017-db-deletion", "aws-s3-2017", "atlassian-2022-site-deletion",
                         "facebook-2021-backbone", "azure-wan-2023", "replit-2025-agent-db-deletion"}) {
    INFO(id);
    const json& g = by_id.at(id).at("guard");
    CHECK(g["action"].get<std::string>().size() > 0);
    std::string outcome = g["outcome"];
    CHECK((outcome == "stopped" || outcome == "held" || outcome == "staged" || outcome == "missed"));
    CHECK((outcome == "missed") == g["rules"].empty());
  }
  // The agent dropping production tables during a declared freeze is stopped, not merely held.
  CHECK(by_id.at("replit-2025-agent-db-deletion")["guard"]["outcome"] == "stopped");
  int false_alarms = 0;
  for (const auto& [id, r] : by_id) false_alarms += r["false_alarm"].get<bool>();
  CHECK(false_alarms == s["false_alarms"].get<int>());

  auto text = RunRingfence({"replay", kLibrary, "--rules", kRules});
  REQUIRE(text.exit_code == 0);
  for (const auto& [id, r] : by_id) CHECK(text.out.find(id + " [") != std::string::npos);
  CHECK(text.out.find("summary: " + std::to_string(s["caught"].get<int>()) + " of " +
                      std::to_string(s["incidents"].get<int>()) + " incidents caught") != std::string::npos);
  // The ways an incident was caught add up: a change held at the gate also replays as shipped.
  int gate = 0, guard = 0, canary = 0, drift = 0, several = 0;
  for (const auto& [id, r] : by_id) {
    if (r["type"] == "healthy") continue;
    bool held = r["gate"]["counts_as_caught"].get<bool>();
    bool guarded =
        r.contains("guard") &&
        (r["guard"]["outcome"] == "stopped" ||
         (r["guard"]["outcome"] == "held" && r["approval"].is_object() && r["approval"]["given"] == false) ||
         (r["guard"]["outcome"] == "staged" && r["guard"]["spared"].is_number() &&
          r["guard"]["spared"].get<double>() > 0));
    bool reverted = r["canary"]["caught"].get<bool>();
    bool drifted = r.contains("drift") && (r["drift"]["seen_before_harm"].get<bool>() ||
                                           r["drift"]["recycled_before_harm"].get<bool>());
    gate += held, guard += guarded, canary += reverted, drift += drifted;
    several += int(held) + int(guarded) + int(reverted) + int(drifted) > 1;
    CHECK(r["caught"].get<bool>() == (held || guarded || reverted || drifted));
  }
  CHECK(gate == s["caught_by_gate"].get<int>());
  CHECK(guard == s["caught_by_guard"].get<int>());
  CHECK(canary == s["caught_by_canary"].get<int>());
  CHECK(drift == s["caught_by_drift"].get<int>());
  int gate_held = s["gate_held"].get<int>(), staged = s["actions_staged"].get<int>(),
      unscored = s["held_unscored"].get<int>();
  std::string how =
      std::to_string(gate) + " stopped at the gate" +
      (gate_held
           ? " (" + std::to_string(gate_held) + " of them held for an approval that would not have come)"
           : "") +
      ", " + std::to_string(guard) + " stopped or held by the guard, " + std::to_string(canary) +
      " rolled back by the canary, " + std::to_string(drift) + " by the fleet's drift guards" +
      (several ? ", " + std::to_string(several) + " more than one way" : "") +
      (staged ? "; " + std::to_string(staged) + " run in waves by the guard" : "") +
      (unscored ? "; " + std::to_string(unscored) +
                      " held for an approval the scenario does not say would be refused: not counted"
                : "") +
      ")";
  CHECK(text.out.find(how) != std::string::npos);
}

TEST_CASE("replay: --svg writes a timeline per canaried scenario and an index that are valid XML") {
  TempDir tmp;
  auto r = RunRingfence({"replay", kLibrary, "--rules", kRules, "--svg", tmp.path()});
  REQUIRE(r.exit_code == 0);
  REQUIRE(fs::exists(tmp.path() + "/index.html"));
  REQUIRE(fs::exists(tmp.path() + "/crowdstrike-2024-channel-291.svg"));
  CHECK_FALSE(fs::exists(tmp.path() + "/gitlab-2017-db-deletion.svg"));  // no canary, no timeline
  auto parsed = RunProcess({RINGFENCE_PYTHON, "-c",
                            "import sys, glob, xml.etree.ElementTree as ET\n"
                            "files = glob.glob(sys.argv[1] + '/*.svg')\n"
                            "for f in files: assert ET.parse(f).getroot().tag.endswith('svg'), f\n"
                            "print(len(files))",
                            tmp.path()});
  INFO(parsed.err);
  CHECK(parsed.exit_code == 0);
  CHECK(std::stoi(parsed.out) >= 13);
}

TEST_CASE("tune: the trade-off table, CSV and plot, it names a better plan or says why none exists") {
  TempDir tmp;
  auto r = RunRingfence({"tune", kLibrary, "--rules", kRules, "--sweep", "weight=1,5", "--sweep",
                         "bake=5m,10m", "--csv", tmp.path() + "/t.csv", "--svg", tmp.path() + "/t.svg"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("(plan as given)") != std::string::npos);
  CHECK(r.out.find("weight=5 bake=10m") != std::string::npos);
  bool better = r.out.find("better than the plan as given:") != std::string::npos;
  bool none = r.out.find("no setting swept catches more incidents") != std::string::npos;
  CHECK(better != none);
  if (none)
    CHECK(r.out.find("gcp-2025-service-control: the fault strikes only after promotion") !=
          std::string::npos);
  std::ifstream csv(tmp.path() + "/t.csv");
  int lines = 0;
  for (std::string l; std::getline(csv, l);) {
    ++lines;
    INFO(l);
    CHECK(l.find("e+") == std::string::npos);  // numbers as spreadsheets read them
  }
  CHECK(lines == 1 + 1 + 4);  // header, the plan as given, 2 x 2 settings
  // Progress on stderr, one line per combination.
  CHECK(r.err.find("ringfence tune: 1/5 (the plan as given)") != std::string::npos);
  CHECK(r.err.find("ringfence tune: 5/5 (weight=5 bake=10m)") != std::string::npos);
  CHECK(fs::file_size(tmp.path() + "/t.svg") > 500);
  auto bad = RunRingfence({"tune", kLibrary, "--sweep", "colour=red"});
  CHECK(bad.exit_code == 4);
  CHECK(bad.err.find("unknown parameter 'colour'") != std::string::npos);
  auto above = RunRingfence({"tune", kLibrary, "--sweep", "weight=50"});
  CHECK(above.exit_code == 4);
  CHECK(above.err.find("weight=50: the first step must stay below the second (") != std::string::npos);
  // A bake of zero would judge nothing: refused, not swept.
  auto unbaked = RunRingfence({"tune", kLibrary, "--sweep", "bake=0s"});
  CHECK(unbaked.exit_code == 4);
  CHECK(unbaked.err.find("nothing would be judged") != std::string::npos);
  // Incidents alone: false alarms cannot be measured, and nothing is recommended from 0 of 0.
  TempDir only;
  for (const char* id : {"crowdstrike-2024-channel-291", "gcp-2025-service-control"})
    fs::copy_file(std::string(kLibrary) + "/" + id + ".yaml", only.path() + "/" + id + ".yaml");
  auto alone = RunRingfence({"tune", only.path(), "--rules", "none", "--sweep", "weight=1,5"});
  INFO(alone.err);
  REQUIRE(alone.exit_code == 0);
  CHECK(alone.out.find("false alarms cannot be measured") != std::string::npos);
  CHECK(alone.out.find("better than the plan as given") == std::string::npos);
}

TEST_CASE("replay: a seed that is not a whole number in range is refused") {
  for (const char* seed : {"-1", "18446744073709551616", "1e3", "", "0x10"}) {
    INFO(seed);
    auto r = RunRingfence({"replay", kLibrary, "--rules", "none", "--seed", seed});
    CHECK(r.exit_code == 4);
  }
  CHECK(RunRingfence({"replay", kLibrary, "--rules", "none", "--seed", "18446744073709551615"}).exit_code ==
        0);
}

TEST_CASE("replay: a malformed scenario is rejected with its position") {
  TempDir tmp;
  WriteFile(tmp.path() + "/s.yaml",
            "apiVersion: ringfence/v1\nkind: Scenario\nid: x\ntype: incident\ntitle: t\n"
            "change: {files: [{path: a}]}\nfault: {error_rate: lots}\n");
  auto r = RunRingfence({"replay", tmp.path()});
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("s.yaml:7:21: error_rate must be a number") != std::string::npos);
}
