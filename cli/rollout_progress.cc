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
namespace rs = rollout_state;
using nlohmann::json;

std::shared_ptr<spdlog::logger> OpenRolloutLog(const std::string& state_dir) {
  // Created 0600 and never through a symlink (spdlog's own open follows links).
  std::string path = state_dir + "/logs/ringfence.log";
  auto fd = OpenNoFollow(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
  if (!fd) return std::make_shared<spdlog::logger>("rollout", std::make_shared<spdlog::sinks::null_sink_mt>());
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

RolloutProgress::RolloutProgress(std::shared_ptr<spdlog::logger> log, bool live) : log_(std::move(log)), live_(live) {}

RolloutProgress::~RolloutProgress() { EndLiveLine(); }

void RolloutProgress::EndLiveLine() {
  if (line_open_) std::fputs("\n", stderr);
  line_open_ = false;
}

std::string RolloutProgress::Describe(const JournalRecord& r) {
  json ev = json::parse(r.evidence_json, nullptr, false);
  if (!ev.is_object()) ev = json::object();
  auto pct = [](double w) {
    char b[32];
    std::snprintf(b, sizeof b, "%g%%", w);
    return std::string(b);
  };
  if (r.state == rs::kStarted) {
    return "started: " + ev["baseline"].value("version", "?") + " -> " + ev["candidate"].value("version", "?") +
           " (plan " + ev.value("plan_path", "") + ")";
  }
  if (r.state == rs::kStep) {
    return "step " + std::to_string(ev.value("step", 0) + 1) + ": " + pct(ev.value("weight", 0.0)) +
           " of new sessions to the candidate, bake " + FormatDurationMs(ev.value("bake_ms", int64_t{0}));
  }
  if (r.state == rs::kJudged) {
    std::string s = "step " + std::to_string(ev.value("step", 0) + 1) + " at " + pct(ev.value("weight", 0.0)) + ", " +
                    FormatDurationMs(ev.value("window_ms", int64_t{0})) + ": " + ev.value("decision", "?") + " |";
    for (const auto& v : ev.value("verdicts", json::array())) {
      s += " " + v.value("metric", "") + " " + v.value("outcome", "");
    }
    s += " | sessions: " + std::to_string(ev.value("canary_sessions", 0)) + " canary, " +
         std::to_string(ev.value("baseline_sessions", 0)) + " baseline";
    return s;
  }
  if (r.state == rs::kAwaitingHuman) return "waiting for a human: " + ev.value("reason", "");
  if (r.state == rs::kApproved) return "approved by " + ev.value("by", "?");
  if (r.state == rs::kRollback) return "ROLLBACK: " + ev.value("reason", "");
  if (r.state == rs::kRollbackSessions) {
    return "rollback: new sessions go to the baseline; " + std::to_string(ev.value("canary_sessions", 0)) +
           " canary sessions: " + ev.value("mode", "?");
  }
  if (r.state == rs::kVerifying) {
    return "rollback: canary sessions ended (" + std::to_string(ev.value("terminated", 0)) +
           " terminated); verifying the baseline";
  }
  if (r.state == rs::kRolledBack) {
    return "rolled back, verified (" + std::to_string(ev.value("checks", 0)) + " checks; rollback took " +
           FormatDurationMs(ev.value("rollback_ms", int64_t{0})) + ")";
  }
  if (r.state == rs::kEscalated) return "ESCALATED: " + ev.value("reason", "");
  if (r.state == rs::kPromoted) return "promoted: all new sessions run the candidate";
  return r.state;
}

void RolloutProgress::OnRecord(const JournalRecord& r) {
  log_->info(R"("rollout":{},"seq":{},"state":{},"evidence":{})", json(r.rollout_id).dump(), r.seq, json(r.state).dump(),
             r.evidence_json);
  std::string line = Describe(r);
  if (live_ && r.state == rs::kJudged) {
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
  EndLiveLine();
  std::fprintf(stderr, "  note: %s\n", note.c_str());
}

}  // namespace ringfence::cli
