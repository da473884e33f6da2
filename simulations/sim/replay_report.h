// What `ringfence replay` prints: per scenario the gate's verdict, the canary's outcome and what
// really happened; a summary; JSON; and an SVG timeline per scenario with an HTML index.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "simulations/sim/replay.h"

namespace ringfence::sim {

void WriteReplayText(const std::vector<ScenarioResult>& results, const ReplaySummary& summary,
                     std::ostream& out);
void WriteReplayJson(const std::vector<ScenarioResult>& results, const ReplaySummary& summary,
                     std::ostream& out);
// The error rate of each cohort per minute, the canary's weight, and the fault, decision and
// end marks.
std::string TimelineSvg(const ScenarioResult& result);
std::string ReplayIndexHtml(const std::vector<ScenarioResult>& results, const ReplaySummary& summary);
std::string FormatMinutes(int64_t ms);

}  // namespace ringfence::sim
