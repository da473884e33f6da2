// `ringfence rules lint PATH...` and `ringfence rules test PATH...`.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "adapters/common/local_files.h"
#include "adapters/git/git_repository.h"
#include "adapters/git/message_trailers.h"
#include "app/rules_lint.h"
#include "app/rules_test.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "engine/core/civil_time.h"

namespace ringfence::cli {
namespace {

std::chrono::system_clock::time_point Now(const std::string& at) {
  if (auto m = ParseDayTime(at)) return std::chrono::system_clock::time_point(*m);
  return std::chrono::system_clock::now();
}

// The lint report as JSON (schema ringfence.lint/v1): findings with kind, rule, file, line and
// message, and the counts; a file that does not load is {"error": "path:line:col: ..."}.
void WriteLintJson(const app::LintReport& report, std::ostream& out) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : report.findings) {
    findings.push_back({{"kind", app::ToString(f.kind)},
                        {"rule", f.rule},
                        {"file", f.file},
                        {"line", f.line},
                        {"message", f.message}});
  }
  out << nlohmann::json{{"schema", "ringfence.lint/v1"},
                        {"rules", report.rules},
                        {"waivers", report.waivers},
                        {"files", report.files},
                        {"findings", findings}}
             .dump(2)
      << "\n";
}

int Lint(const std::vector<std::string>& paths, const std::string& repo_path, const std::string& now_text,
         bool json) {
  LocalFiles files;
  std::unique_ptr<git::GitRepository> repo;
  if (!repo_path.empty()) {
    auto opened = git::GitRepository::Open(repo_path);
    if (!opened) {
      std::cerr << "ringfence rules lint: " << opened.error().message << "\n";
      return ExitCodeFor(opened.error());
    }
    repo = std::move(*opened);
  }
  auto report = app::LintRules(files, paths, repo.get(), Now(now_text));
  if (!report) {
    std::cerr << report.error().message << "\n";  // path:line:col: ...
    if (json)
      std::cout << nlohmann::json{{"schema", "ringfence.lint/v1"}, {"error", report.error().message}}.dump(2)
                << "\n";
    return ExitCodeFor(report.error());
  }
  if (json) {
    WriteLintJson(*report, std::cout);
    return report->findings.empty() ? kExitOk : kExitDenied;
  }
  for (const auto& f : report->findings) std::cout << f.Text() << "\n";
  std::cout << report->rules << " rule(s), " << report->waivers << " waiver(s) in " << report->files
            << " file(s): " << report->findings.size() << " finding(s)\n";
  return report->findings.empty() ? kExitOk : kExitDenied;
}

int Test(const std::vector<std::string>& paths, bool verbose) {
  LocalFiles files;
  auto report = app::RunRuleTests(files, paths, git::MessageTrailers);
  if (!report) {
    std::cerr << "ringfence rules test: " << report.error().message << "\n";
    return ExitCodeFor(report.error());
  }
  auto list = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  };
  for (const auto& c : report->cases) {
    if (c.passed) {
      if (verbose) std::cout << "PASS " << c.where << " " << c.name << "\n";
      continue;
    }
    std::cout << "FAIL " << c.where << " " << c.name << "\n  expected: " << c.expected_decision;
    if (c.check_fired) std::cout << ", fired [" << list(c.expected_fired) << "]";
    std::cout << "\n  actual:   " << c.actual_decision << ", fired [" << list(c.actual_fired) << "]\n";
    for (const auto& d : c.details) std::cout << "    " << d << "\n";
  }
  std::cout << report->passed() << " passed, " << report->failed() << " failed\n";
  return report->failed() == 0 ? kExitOk : kExitDenied;
}

}  // namespace

Runner SetupRules(CLI::App& sub) {
  sub.require_subcommand(1);
  struct Flags {
    std::vector<std::string> paths;
    std::string repo;
    std::string now;
    std::string format = "text";
    bool verbose = false;
  };
  auto f = std::make_shared<Flags>();
  auto* lint =
      sub.add_subcommand("lint",
                         "Validate rule and waiver files; find rules that never fire or are shadowed, "
                         "and expired waivers (exit 1 on findings)");
  lint->add_option("paths", f->paths, "Rule and waiver files or directories")->required();
  lint->add_option("--repo", f->repo, "Also check globs and component names against this repository's HEAD");
  lint->add_option("--now", f->now, "Judge waiver expiry as of YYYY-MM-DD[ HH:MM] UTC");
  lint->add_option("--format", f->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  auto* test =
      sub.add_subcommand("test", "Run rule fixtures (kind: RuleTest): expected verdict and fired rules");
  test->add_option("paths", f->paths, "Fixture files or directories")->required();
  test->add_flag("-v,--verbose", f->verbose, "List passing cases too");
  return [f, lint]() -> int {
    if (lint->parsed()) return Lint(f->paths, f->repo, f->now, f->format == "json");
    return Test(f->paths, f->verbose);
  };
}

}  // namespace ringfence::cli
