// Progress of a rollout for people and machines: on a terminal, a status line per step that updates
// in place with each judgement; otherwise one plain line per journal record. Every record and note
// also goes to the structured log (spdlog, one JSON object a line) in the state directory.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "engine/rollout/orchestrator.h"

namespace ringfence::cli {

// How progress shows on stderr: a line per step updated in place (a terminal), a line per record,
// or nothing (--quiet; the structured log still gets every record).
enum class ProgressDisplay { kLiveLine, kLines, kSilent };

class RolloutProgress : public RolloutObserver {
 public:
  RolloutProgress(std::shared_ptr<spdlog::logger> log, ProgressDisplay display);
  ~RolloutProgress() override;
  void OnRecord(const TypedRecord& record) override;
  void OnNote(const std::string& rollout_id, const std::string& note) override;
  // One line for a record, as `rollout status` prints the journal.
  static std::string Describe(const TypedRecord& record);

 private:
  void EndLiveLine();
  std::shared_ptr<spdlog::logger> log_;
  ProgressDisplay display_;
  bool line_open_ = false;
};

// The structured log of a state directory: <state>/logs/ringfence.log.
std::shared_ptr<spdlog::logger> OpenRolloutLog(const std::string& state_dir);

}  // namespace ringfence::cli
