// A repository built as an adversarial author would find it: the shipped rule packs, a components
// file with tiers and owners, CODEOWNERS, all in the base; the change under test on branch
// "feature". `Check` runs the real `ringfence check` on it.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/git_fixture.h"
#include "tests/support/run_process.h"

namespace ringfence::testing {

inline constexpr const char* kShopComponents = R"(apiVersion: ringfence/v1
components:
  - {name: auth, paths: [services/auth/], tier: 0, owners: ["@auth"]}
  - {name: web, paths: [web/], tier: 2, owners: ["@web"]}
  - {name: infra, paths: [infra/], tier: 0, owners: ["@infra"]}
  - {name: flags, paths: [config/flags.yaml], global_channel: true, tier: 1, owners: ["@sre"]}
  - {name: data, paths: [migrations/, sandbox/], tier: 1, owners: ["@data"]}
  - {name: repo, paths: [.ringfence/, CODEOWNERS, .gitattributes, "**/.gitattributes"], tier: 1, owners: ["@sre"]}
)";

struct CheckResult {
  int exit_code = -1;
  nlohmann::json verdict;  // the JSON report (null when none was printed)
  std::string err;
  std::vector<std::string> Fired() const {
    std::vector<std::string> out;
    if (verdict.is_object()) {
      for (const auto& f : verdict["fired"]) out.push_back(f["rule"]);
    }
    return out;
  }
  // True when some evidence of `rule` contains `text`.
  bool Cites(const std::string& rule, const std::string& text) const {
    if (!verdict.is_object()) return false;
    for (const auto& f : verdict["fired"]) {
      if (f["rule"] != rule) continue;
      for (const auto& e : f["evidence"]) {
        if (e["text"].get<std::string>().find(text) != std::string::npos) return true;
      }
    }
    return false;
  }
  bool HasFired(const std::string& rule) const {
    auto f = Fired();
    return std::find(f.begin(), f.end(), rule) != f.end();
  }
};

class ShopRepo : public TempRepo {
 public:
  ShopRepo() {
    for (const auto& e : std::filesystem::directory_iterator(std::string(RINGFENCE_SOURCE_DIR) + "/rules")) {
      if (e.path().extension() != ".yaml") continue;
      std::ifstream in(e.path());
      std::stringstream text;
      text << in.rdbuf();
      Write(".ringfence/rules/" + e.path().filename().string(), text.str());
    }
    Write(".ringfence/components.yaml", kShopComponents);
    Write("CODEOWNERS", "* @sre\n/services/auth/ @auth\n/infra/ @infra\n");
    Write("infra/policy.json", "{\n  \"Action\": \"s3:GetObject\"\n}\n");
    Write("services/auth/token.py", "TTL = 900\n");
    Write("web/app.ts", "export const x = 1;\n");
    Write("config/flags.yaml", "checkout_v2: false\n");
    Write("migrations/001_init.sql", "CREATE TABLE users (id int);\n");
    Commit("base");
    Git({"checkout", "-q", "-b", "feature"});
  }
  // Commits everything as the given author with the given message.
  void CommitAs(const std::string& author, const std::string& message) const {
    Git({"add", "-A"});
    Git({"commit", "-q", "--allow-empty", "--author", author, "-m", message});
  }
  // An AI-authored commit (an Assisted-by trailer).
  void CommitAi(const std::string& subject = "change") const {
    CommitAs("Dana <dana@shop.example>", subject + "\n\nAssisted-by: coding-agent");
  }
  CheckResult Check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"check",  "--repo",  path(),  "--base",           "main",
                                     "--head", "feature", "--now", "2026-06-01 12:00", "--format",
                                     "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = RunRingfence(args);
    CheckResult out;
    out.exit_code = r.exit_code;
    out.err = r.err;
    out.verdict = nlohmann::json::parse(r.out, nullptr, false);
    if (out.verdict.is_discarded()) out.verdict = nullptr;
    return out;
  }
};

// Exit codes of `ringfence check`.
inline constexpr int kAllow = 0, kDeny = 1, kNeedsApproval = 2, kIndeterminate = 3, kBadInput = 4;

}  // namespace ringfence::testing
