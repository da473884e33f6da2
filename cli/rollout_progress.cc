#include "cli/rollout_progress.h"

#include <fcntl.h>
#include <unistd.h>

#include "adapters/common/files.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "engine/core/duration.h"

namespace ringfence::cli {
using nlohmann::json;

std::shared_ptr<spdlog::logger> OpenRolloutLog(const std::string& state_dir) {
  // Created 0600 and never through a symlink (spdlog's own open follows links).
  std::string path = state_dir + "/logs/ringfence.log";
  auto fd = OpenNoFollow(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (!fd)
    return std::make_shared<spdlog::logger>("rollout", std::make_shared<spdlog::sinks::null_sink_mt>());
  ::close(*fd);
  try {
    auto log = std::make_shared<spdlog::logger>(
        "rollout", std::make_shared<spdlog::sinks::basic_file_sink_mt>(state_dir + "/logs/ringfence.log"));
    log->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","pid":%P,%v})");
    log->flush_on(spdlog::level::info);
    return log;
  } catch (const spdlog::spdlog_ex&) {
    return std::make_shared<spdlog::logger>("rollout", std::make_shared<spdlog::sinks::null_sink_mt>());
  }
}

RolloutProgress::RolloutProgress(std::shared_ptr<spdlog::logger> log, ProgressDisplay display)
    : log_(std::move(log)), display_(display) {}

RolloutProgress::~RolloutProgress() { EndLiveLine(); }

void RolloutProgress::EndLiveLine() {
  if (line_open_) std::fputs("\n", stderr);
  line_open_ = false;
}

std::string RolloutProgress::Describe(const TypedRecord& r) {
  auto pct = [](double w) {
    char b[32];
    std::snprintf(b, sizeof b, "%g%%", w);
    return std::string(b);
  };
  auto plural = [](int64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  return std::visit(
      [&](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, NotAdmittedEvent>) {
          std::string s =
              "NOT ADMITTED: " + e.setup.candidate.version + " (" + e.setup.candidate.digest + ")";
          for (const auto& why : e.setup.admission->candidate.reasons) s += "; " + why;
          return s;
        } else if constexpr (std::is_same_v<E, StartedEvent>) {
          return "started: " + e.setup.baseline.version + " -> " + e.setup.candidate.version + " (plan " +
                 e.setup.plan_path + ")";
        } else if constexpr (std::is_same_v<E, StepEvent>) {
          return "step " + std::to_string(e.step + 1) + ": " + pct(e.weight) +
                 " of new sessions to the candidate, bake " + FormatDurationMs(e.bake_ms);
        } else if constexpr (std::is_same_v<E, JudgedEvent>) {
          std::string s = "step " + std::to_string(e.step + 1) + " at " + pct(e.weight) + ", " +
                          FormatDurationMs(e.window_ms) + ": " + ToString(e.decision) + " |";
          for (const auto& v : e.verdicts) s += " " + v.metric + " " + ToString(v.outcome);
          s += " | sessions: " + std::to_string(e.canary_sessions) + " canary, " +
               std::to_string(e.baseline_sessions) + " baseline";  // "canary" as an adjective: no plural
          return s;
        } else if constexpr (std::is_same_v<E, AwaitingHumanEvent>) {
          return "waiting for a human before step " + std::to_string(e.step + 1) + ": " + e.reason;
        } else if constexpr (std::is_same_v<E, ApprovedEvent>) {
          return "step " + std::to_string(e.step + 1) + " approved by " + e.by;
        } else if constexpr (std::is_same_v<E, RollbackEvent>) {
          return "ROLLBACK: " + e.reason;
        } else if constexpr (std::is_same_v<E, RollbackSessionsEvent>) {
          return "rollback: new sessions go to the baseline; " +
                 plural(e.canary_sessions, "canary session", "canary sessions") + ": " + ToString(e.mode);
        } else if constexpr (std::is_same_v<E, VerifyingEvent>) {
          return "rollback: canary sessions ended (" + std::to_string(e.terminated) +
                 " terminated); verifying the baseline";
        } else if constexpr (std::is_same_v<E, RolledBackEvent>) {
          return "rolled back, verified (" + plural(e.checks, "check", "checks") + "; rollback took " +
                 FormatDurationMs(e.rollback_ms) + ")";
        } else if constexpr (std::is_same_v<E, EscalatedEvent>) {
          return "ESCALATED: " + e.reason;
        } else if constexpr (std::is_same_v<E, PromotedEvent>) {
          return "promoted: all new sessions run the candidate" + (e.by.empty() ? "" : " (by " + e.by + ")");
        } else {
          static_assert(std::is_same_v<E, UnfrozenEvent>, "every RolloutEvent has its line");
          return "unfrozen by " + e.by + (e.reason.empty() ? "" : ": " + e.reason);
        }
      },
      r.event);
}

void RolloutProgress::OnRecord(const TypedRecord& r) {
  log_->info(R"("rollout":{},"seq":{},"state":{},"evidence":{})", json(r.rollout_id).dump(), r.seq,
             json(ToString(r.state())).dump(), EvidenceJson(r.event));
  if (display_ == ProgressDisplay::kSilent) return;
  std::string line = Describe(r);
  if (display_ == ProgressDisplay::kLiveLine && r.state() == RolloutState::kJudged) {
    std::fprintf(stderr, "\r\033[K  %s", line.c_str());  // the step's line, updated in place
    line_open_ = true;
  } else {
    EndLiveLine();
    std::fprintf(stderr, "  %s\n", line.c_str());
  }
  std::fflush(stderr);
}

void RolloutProgress::OnNote(const std::string& rollout_id, const std::string& note) {
  log_->warn(R"("rollout":{},"note":{})", json(rollout_id).dump(), json(note).dump());
  if (display_ == ProgressDisplay::kSilent) return;
  EndLiveLine();
  std::fprintf(stderr, "  note: %s\n", note.c_str());
}

}  // namespace ringfence::cli
