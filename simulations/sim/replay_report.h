// What `ringfence replay` prints: per scenario the gate's verdict, the canary's outcome and what
// really happened; a summary; JSON; and an SVG timeline per scenario with an HTML index.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "simulations/sim/replay.h"

namespace ringfence::sim {

// `color`: the verdicts in colour (a terminal).
void WriteReplayText(const std::vector<ScenarioResult>& results, const ReplaySummary& summary,
                     std::ostream& out, bool color = false);
void WriteReplayJson(const std::vector<ScenarioResult>& results, const ReplaySummary& summary,
                     std::ostream& out);
// For people: caught, missed, false alarm, held at the gate or ok.
std::string Verdict(const ScenarioResult& result);
// The error rate of each cohort, the canary's weight, when the fault was active, and the canary,
// fault, decision and end marks: the whole replay, and a zoom on the canary window when the
// replay is much longer than it.
std::string TimelineSvg(const ScenarioResult& result);
std::string ReplayIndexHtml(const std::vector<ScenarioResult>& results, const ReplaySummary& summary);
std::string FormatMinutes(int64_t ms);

}  // namespace ringfence::sim
