#include "simulations/sim/replay_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/core/ansi_style.h"
#include "engine/core/xml_text.h"
#include "simulations/sim/chart.h"

namespace ringfence::sim {
namespace {

using nlohmann::json;

std::string Fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string Gate(const ScenarioResult& r) {
  if (r.gate_decision.empty()) return "no rules";
  std::string s = r.gate_decision;
  if (!r.gate_rules.empty()) {
    s += " (";
    for (size_t i = 0; i < r.gate_rules.size(); ++i) s += (i ? ", " : "") + r.gate_rules[i];
    s += ")";
  }
  return s;
}

// "stopped (guard.unbounded-removal-critical)", "missed: no rule of the guard stops it".
std::string Guard(const ScenarioResult& r) {
  std::string s = ToString(r.action_outcome);
  if (r.action_outcome == ActionOutcome::kMissed)
    return s + ": the guard lets it run (" + r.action_decision + ")";
  s += " (" + r.action_decision;
  for (const auto& id : r.action_rules) s += ", " + id;
  s += ")";
  if (r.action_outcome == ActionOutcome::kStaged) {
    s += ": a first wave of " + std::to_string(r.action_first_wave) + " of " +
         std::to_string(r.action_targets) + " targets, then a health check";
    if (r.action_spared > 0)
      s += " that sees the harm: " + Fixed(100 * r.action_spared, 0) + "% of the targets spared";
    else if (r.action_spared == 0)
      s += " that does not see the harm: every wave runs";
    else
      s += " (whether it sees the harm, the scenario does not say: not counted caught)";
  }
  return s;
}

std::string Canary(const ScenarioResult& r) {
  if (!r.canary_applies) return "does not apply: " + r.canary_why;
  std::string s = r.outcome;
  if (r.Reverted()) {
    if (r.detect_ms >= 0)
      s += " " + FormatMinutes(r.detect_ms) + " after the fault struck";
    else if (r.fault_onset_ms < 0)
      s += " before any fault struck (" + FormatMinutes(r.decided_ms) + " in)" +
           (r.type == "healthy" ? "" : ": a false alarm, not a catch");
    else
      s += " " + FormatMinutes(r.fault_onset_ms - r.decided_ms) +
           " before the fault struck: a false alarm, not a catch";
    s += "; " + std::to_string(r.hurt_clients) + " of " + std::to_string(r.client_sessions) +
         " client sessions hurt";
    if (r.rollback_ms >= 0) s += "; rollback " + FormatMinutes(r.rollback_ms);
  } else if (r.Promoted()) {
    s += " after " + FormatMinutes(r.rollout_ms);
    if (r.fault_after_promotion) {
      s += "; the fault struck " + FormatMinutes(r.fault_onset_ms - r.rollout_ms) +
           " after promotion: NOT caught, " + std::to_string(r.hurt_clients) + " client sessions hurt";
    } else if (r.fault_onset_ms >= 0) {
      s += "; the fault went unnoticed: " + std::to_string(r.hurt_clients) + " client sessions hurt";
    }
  }
  if (r.pauses) s += " (" + std::to_string(r.pauses) + " pause" + (r.pauses > 1 ? "s" : "") + " for a human)";
  return s;
}

// "3 stopped at the gate, 3 rolled back by the canary, 1 by the drift check, 2 more than one
// way": a change held at the gate is also replayed as if it had shipped anyway, so one incident
// can be caught several ways.
std::string HowCaught(const ReplaySummary& s) {
  std::string gate = std::to_string(s.caught_by_gate) + " stopped at the gate";
  if (s.gate_held > 0)
    gate += " (" + std::to_string(s.gate_held) + " of them held for an approval that would not have come)";
  return gate + ", " + std::to_string(s.caught_by_guard) + " stopped or held by the guard, " +
         std::to_string(s.caught_by_canary) + " rolled back by the canary, " +
         std::to_string(s.caught_by_drift) + " by the fleet's drift guards" +
         (s.caught_more_than_once > 0 ? ", " + std::to_string(s.caught_more_than_once) + " more than one way"
                                      : "") +
         (s.actions_staged > 0 ? "; " + std::to_string(s.actions_staged) + " run in waves by the guard"
                               : "") +
         (s.held_unscored > 0
              ? "; " + std::to_string(s.held_unscored) +
                    " held for an approval the scenario does not say would be refused: not counted"
              : "");
}

// "1 of 8 sessions drifted (other_version: runs smars-old; ...); a drift job every 15m reports it
// at the latest 15m after the fleet diverged, 75m before the harm; no session-age limit in the plan"
std::string Drift(const DriftOutcome& d) {
  std::string s = std::to_string(d.drifted) + " of " + std::to_string(d.hosts) + " sessions drifted";
  if (!d.inventoried) {
    s += ", on hosts no inventory reads: the drift job cannot see them";
  } else {
    std::string found;
    for (const auto& [reason, n] : d.found)
      found += (found.empty() ? "" : ", ") + reason + " " + std::to_string(n);
    if (!found.empty()) s += " (" + found + (d.example.empty() ? "" : ": " + d.example) + ")";
    if (d.seen) {
      s += "; a drift job every " + FormatMinutes(d.check_every_ms) + " reports it at the latest " +
           FormatMinutes(d.seen_after_ms) + " after the fleet diverged, ";
      s += d.SeenBeforeHarm() ? FormatMinutes(d.harm_after_ms - d.seen_after_ms) + " before the harm"
                              : "too late: the harm came " + FormatMinutes(d.harm_after_ms) + " after";
    } else {
      s += "; within the drift job's threshold: not reported";
    }
  }
  if (d.max_session_age_ms <= 0) {
    s += "; no session-age limit in the plan";
  } else {
    s += "; sessions.max_age " + FormatMinutes(d.max_session_age_ms) + " recycles them " +
         FormatMinutes(d.recycled_after_ms) + " after it diverged" +
         (d.RecycledBeforeHarm() ? ", before the harm" : ", after the harm");
  }
  return s;
}

std::string CssClass(std::string verdict) {
  std::replace(verdict.begin(), verdict.end(), ' ', '-');
  return verdict;
}

std::string Really(const ScenarioResult& r) {
  std::string s;
  if (r.reality.detected_min)
    s += "detected after " + FormatMinutes(static_cast<int64_t>(*r.reality.detected_min * 60000));
  if (r.reality.mitigated_min) {
    s += (s.empty() ? "" : ", ") + std::string("mitigated after ") +
         FormatMinutes(static_cast<int64_t>(*r.reality.mitigated_min * 60000));
  }
  if (!r.reality.blast_radius.empty()) s += (s.empty() ? "" : "; ") + r.reality.blast_radius;
  return s;
}

}  // namespace

std::string FormatMinutes(int64_t ms) {
  if (ms < 0) return "-";
  double min = static_cast<double>(ms) / 60000.0;
  if (min < 1) return Fixed(static_cast<double>(ms) / 1000.0, 0) + "s";
  if (min < 120) return Fixed(min, min < 10 ? 1 : 0) + "m";
  if (min < 48 * 60) return Fixed(min / 60, 1) + "h";
  return Fixed(min / 1440, 1) + "d";
}

void WriteReplayText(const std::vector<ScenarioResult>& results, const ReplaySummary& s, std::ostream& out,
                     bool color) {
  for (const auto& r : results) {
    std::string verdict = Verdict(r);
    Tone tone = verdict == "caught" || verdict == "ok"                            ? Tone::kGood
                : verdict == "held at the gate" || verdict == "held by the guard" ? Tone::kWarn
                                                                                  : Tone::kBad;
    if (verdict != "ok") std::transform(verdict.begin(), verdict.end(), verdict.begin(), ::toupper);
    out << r.id << " [" << r.type << "] " << Paint(verdict, tone, color) << "\n";
    out << "  " << r.title << "\n";
    if (!r.gate_decision.empty() || r.action_outcome == ActionOutcome::kNotJudged)
      out << "  gate:   " << Gate(r) << "\n";
    if (r.action_outcome != ActionOutcome::kNotJudged) {
      out << "  action: " << r.action_text << "\n";
      out << "  guard:  " << Guard(r) << "\n";
      for (const auto& why : r.action_why) out << "          " << why << "\n";
    }
    out << "  canary: " << Canary(r) << "\n";
    if (!r.reason.empty()) out << "          " << r.reason << "\n";
    if (r.drift) out << "  drift:  " << Drift(*r.drift) << "\n";
    std::string really = Really(r);
    if (!really.empty()) out << "  really: " << really << "\n";
    if (!r.reality.note.empty()) out << "  note:   " << r.reality.note << "\n";
  }
  out << "\nsummary: " << s.caught << " of " << s.incidents << " incidents caught (" << HowCaught(s) << "); "
      << s.false_alarms - s.early_rollbacks << " false alarm"
      << (s.false_alarms - s.early_rollbacks == 1 ? "" : "s") << " in " << s.healthy << " healthy rollouts";
  if (s.early_rollbacks)
    out << ", " << s.early_rollbacks << " more on incidents rolled back before their fault struck";
  if (s.healthy_blocked) out << " (" << s.healthy_blocked << " held at the gate or by the guard)";
  out << "\n         median time to detect " << FormatMinutes(static_cast<int64_t>(s.median_detect_ms))
      << "; median client sessions hurt per incident " << Fixed(s.median_hurt, 0)
      << "; median healthy rollout " << FormatMinutes(static_cast<int64_t>(s.median_healthy_rollout_ms))
      << "\n";
}

void WriteReplayJson(const std::vector<ScenarioResult>& results, const ReplaySummary& s, std::ostream& out) {
  json list = json::array();
  for (const auto& r : results) {
    json j = {
        {"id", r.id},
        {"type", r.type},
        {"title", r.title},
        {"gate",
         {{"decision", r.gate_decision},
          {"blocking_rules", r.gate_rules},
          {"denied", r.gate_decision == "deny"},
          {"stopped", r.gate_stopped},
          {"held", r.gate_held},
          {"counts_as_caught", r.blocked && r.type != "healthy"}}},
        {"approval", r.approval_given ? json{{"given", *r.approval_given}, {"why", r.approval_why}} : json()},
        {"canary",
         {{"applies", r.canary_applies},
          {"outcome", r.outcome},
          {"fault_onset_ms", r.fault_onset_ms},
          {"decided_ms", r.decided_ms},
          {"detect_ms", r.detect_ms},
          {"rollback_ms", r.rollback_ms},
          {"rollout_ms", r.rollout_ms},
          {"pauses", r.pauses},
          {"client_sessions", r.client_sessions},
          {"exposed_clients", r.exposed_clients},
          {"hurt_clients", r.hurt_clients},
          {"caught", r.canary_caught},
          {"fault_after_promotion", r.fault_after_promotion},
          {"reason", r.reason}}},
        {"caught", r.caught},
        {"false_alarm", r.false_alarm},
        {"events", r.events}};
    if (!r.canary_applies) j["canary"]["why_not"] = r.canary_why;
    if (r.action_outcome != ActionOutcome::kNotJudged) {
      j["guard"] = {{"action", r.action_text},
                    {"outcome", ToString(r.action_outcome)},
                    {"decision", r.action_decision},
                    {"rules", r.action_rules},
                    {"why", r.action_why}};
      if (r.action_outcome == ActionOutcome::kStaged) {
        j["guard"]["targets"] = r.action_targets;
        j["guard"]["first_wave"] = r.action_first_wave;
        j["guard"]["spared"] = r.action_spared < 0 ? json() : json(r.action_spared);
      }
    }
    if (r.drift) {
      const DriftOutcome& d = *r.drift;
      j["drift"] = {{"hosts", d.hosts},
                    {"drifted", d.drifted},
                    {"inventoried", d.inventoried},
                    {"found", d.found},
                    {"seen", d.seen},
                    {"check_every_ms", d.check_every_ms},
                    {"seen_after_ms", d.seen_after_ms},
                    {"harm_after_ms", d.harm_after_ms},
                    {"max_session_age_ms", d.max_session_age_ms},
                    {"recycled_after_ms", d.recycled_after_ms},
                    {"seen_before_harm", d.SeenBeforeHarm()},
                    {"recycled_before_harm", d.RecycledBeforeHarm()}};
    }
    json really = json::object();
    if (r.reality.detected_min) really["detected_min"] = *r.reality.detected_min;
    if (r.reality.mitigated_min) really["mitigated_min"] = *r.reality.mitigated_min;
    if (!r.reality.blast_radius.empty()) really["blast_radius"] = r.reality.blast_radius;
    j["reality"] = really;
    list.push_back(j);
  }
  json summary = {{"incidents", s.incidents},
                  {"caught", s.caught},
                  {"caught_by_gate", s.caught_by_gate},
                  {"gate_denied", s.gate_denied},
                  {"gate_held", s.gate_held},
                  {"held_unscored", s.held_unscored},
                  {"early_rollbacks", s.early_rollbacks},
                  {"caught_by_guard", s.caught_by_guard},
                  {"actions_staged", s.actions_staged},
                  {"caught_by_canary", s.caught_by_canary},
                  {"caught_by_drift", s.caught_by_drift},
                  {"caught_more_than_once", s.caught_more_than_once},
                  {"healthy", s.healthy},
                  {"false_alarms", s.false_alarms},
                  {"healthy_blocked", s.healthy_blocked},
                  {"median_detect_ms", s.median_detect_ms},
                  {"median_hurt", s.median_hurt},
                  {"median_healthy_rollout_ms", s.median_healthy_rollout_ms},
                  {"events", s.events}};
  out << json{{"scenarios", list}, {"summary", summary}}.dump(2) << "\n";
}

namespace {

constexpr double kReplayWarmupMin = double(kReplayWarmupMs) / 60000.0;

// The unit a time axis reads best in, for a span of minutes.
struct TimeUnit {
  const char* name;
  double minutes;
};

TimeUnit UnitFor(double span_min) {
  if (span_min <= 3 * 60) return {"min", 1};
  if (span_min <= 3 * 1440) return {"h", 60};
  return {"days", 1440};
}

// One point per bucket of `per` minutes between `from` and `to` (minutes since the canary began):
// error rates summed over the bucket, so a long replay keeps its shape at any width.
struct Buckets {
  std::vector<chart::Point> baseline, candidate, weight;
  double max_rate = 0;  // in %
};

Buckets Aggregate(const std::vector<TimelinePoint>& timeline, double from, double to, double per,
                  double unit) {
  struct Sum {
    long br = 0, be = 0, cr = 0, ce = 0;
    double weight = -1;  // -1: no data in the bucket
  };
  std::vector<Sum> sums(static_cast<size_t>(std::ceil((to - from) / per)));
  for (const auto& p : timeline) {
    double m = double(p.at_ms) / 60000.0 - kReplayWarmupMin;
    if (m < from || m >= to) continue;
    Sum& sum = sums[std::min(sums.size() - 1, static_cast<size_t>((m - from) / per))];
    sum.br += p.baseline_requests, sum.be += p.baseline_errors;
    sum.cr += p.candidate_requests, sum.ce += p.candidate_errors;
    sum.weight = std::max(sum.weight, p.weight);
  }
  Buckets b;
  const double nan = std::nan("");
  for (size_t i = 0; i < sums.size(); ++i) {
    const Sum& sum = sums[i];
    if (sum.weight < 0) continue;
    double x = (from + double(i) * per) / unit;
    double brate = sum.br ? 100.0 * double(sum.be) / double(sum.br) : nan;
    double crate = sum.cr ? 100.0 * double(sum.ce) / double(sum.cr) : nan;
    b.baseline.push_back({x, brate, "", true, false});
    b.candidate.push_back({x, crate, "", true, false});
    b.weight.push_back({x, sum.weight, "", true, false});
    if (sum.br) b.max_rate = std::max(b.max_rate, brate);
    if (sum.cr) b.max_rate = std::max(b.max_rate, crate);
  }
  return b;
}

// Shaded ranges where the fault was active on a candidate that served traffic.
std::vector<chart::Band> FaultBands(const std::vector<TimelinePoint>& timeline, double unit) {
  std::vector<chart::Band> bands;
  for (const auto& p : timeline) {
    if (!p.fault_active || p.weight <= 0) continue;
    double from = (double(p.at_ms) / 60000.0 - kReplayWarmupMin) / unit;
    double to = from + double(p.span_ms) / 60000.0 / unit;
    if (!bands.empty() && std::abs(bands.back().to - from) < 1e-9 * std::max(1.0, std::abs(from)))
      bands.back().to = to;
    else
      bands.push_back({from, to, "", "#fde2c8"});
  }
  return bands;
}

chart::Panel TimelinePanel(const ScenarioResult& r, double from_min, double to_min, std::string title) {
  TimeUnit unit = UnitFor(to_min - from_min);
  double per = std::max(0.5, (to_min - from_min) / 360);  // at most ~360 points, none below 30 s
  Buckets b = Aggregate(r.timeline, from_min, to_min, per, unit.minutes);
  chart::Panel panel;
  panel.title = std::move(title);
  panel.x = {std::string("time since the canary began (") + unit.name + ")", from_min / unit.minutes,
             to_min / unit.minutes};
  panel.y = {"error rate (%)", 0, std::min(100.0, chart::NiceCeiling(b.max_rate * 1.05, 1))};
  panel.y_right = chart::Axis{"candidate weight (%)", 0, 100};
  panel.bands = FaultBands(r.timeline, unit.minutes);
  panel.series.push_back(
      {"candidate weight (right axis)", "#9a9a9a", chart::SeriesStyle::kStep, true, false, 2, b.weight});
  panel.series.push_back(
      {"baseline error rate", "#1f77b4", chart::SeriesStyle::kLine, false, false, 1.5, b.baseline});
  panel.series.push_back(
      {"candidate error rate", "#d62728", chart::SeriesStyle::kLine, false, false, 1.5, b.candidate});
  auto mark = [&](int64_t at_ms, const char* label, const char* colour) {
    if (at_ms >= 0) panel.markers.push_back({double(at_ms) / 60000.0 / unit.minutes, label, colour});
  };
  mark(0, "canary", "#444");
  mark(r.fault_onset_ms, "fault", "#e6550d");
  mark(r.decided_ms, "rollback decided", "#d62728");
  if (r.decided_ms >= 0 && r.rollback_ms >= 0)
    mark(r.decided_ms + r.rollback_ms, "baseline restored", "#2b8cbe");
  if (r.Promoted()) mark(r.rollout_ms, "promoted", "#2ca02c");
  return panel;
}

}  // namespace

std::string Verdict(const ScenarioResult& r) {
  if (r.type == "healthy")
    return r.false_alarm        ? "false alarm"
           : r.blocked          ? "held at the gate"
           : r.StoppedByGuard() ? "held by the guard"
                                : "ok";
  return r.caught ? "caught" : "missed";
}

std::string TimelineSvg(const ScenarioResult& r) {
  chart::Figure figure;
  figure.title = r.id + ": " + Verdict(r);
  figure.subtitle = r.title;
  double end_min =
      r.timeline.empty()
          ? 1.0
          : double(r.timeline.back().at_ms + r.timeline.back().span_ms) / 60000.0 - kReplayWarmupMin;
  // The canary window: from just before the canary to its last decision, with a margin.
  double last = 0;
  for (int64_t at :
       {r.decided_ms, r.decided_ms >= 0 && r.rollback_ms >= 0 ? r.decided_ms + r.rollback_ms : -1,
        r.Promoted() ? r.rollout_ms : -1})
    last = std::max(last, double(at) / 60000.0);
  if (r.fault_onset_ms >= 0 && double(r.fault_onset_ms) / 60000.0 <= std::max(last, 10.0) * 1.5)
    last = std::max(last, double(r.fault_onset_ms) / 60000.0);
  double zoom_from = -std::min(2.0, kReplayWarmupMin),
         zoom_to = std::min(end_min, std::max(5.0, last * 1.15 + 0.5));
  double span = end_min + kReplayWarmupMin;
  if (zoom_to - zoom_from < 0.8 * span) {
    auto overview = TimelinePanel(r, -kReplayWarmupMin, end_min, "the whole replay");
    TimeUnit unit = UnitFor(span);
    overview.bands.push_back({zoom_from / unit.minutes, zoom_to / unit.minutes, "zoomed below", "#e8eef7"});
    overview.height = 150;
    figure.panels.push_back(std::move(overview));
    figure.panels.push_back(TimelinePanel(r, zoom_from, zoom_to, "the canary window"));
  } else {
    figure.panels.push_back(TimelinePanel(r, -kReplayWarmupMin, end_min, ""));
  }
  if (!FaultBands(r.timeline, 1).empty())
    figure.legend.push_back({"fault active", "#fde2c8", chart::SeriesStyle::kLine, true, false, true});
  return chart::RenderSvg(figure);
}

std::string ReplayIndexHtml(const std::vector<ScenarioResult>& results, const ReplaySummary& s) {
  std::ostringstream h;
  h << "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ringfence replay</title>\n"
    << "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;border-bottom:1px solid "
       "#ddd;text-align:left}"
    << "img{border:1px solid #eee;margin:8px 0;max-width:100%}.verdict{font-weight:bold;white-space:nowrap}"
    << ".caught,.ok{color:#1a7f37}.missed,.false-alarm{color:#c62828}.held-at-the-gate,.held-by-the-guard{"
       "color:#9a6700}"
    << "</style></head><body>\n<h1>ringfence replay</h1>\n<p>" << s.caught << " of " << s.incidents
    << " incidents caught (" << HowCaught(s) << "); " << s.false_alarms << " false alarms ("
    << s.early_rollbacks << " on incidents, before their fault) in " << s.healthy
    << " healthy rollouts; median time to detect " << FormatMinutes(static_cast<int64_t>(s.median_detect_ms))
    << ".</p>\n<table><tr><th>scenario</th><th>type</th><th>outcome</th><th>gate or guard</th>"
    << "<th>canary</th><th>really</th></tr>\n";
  for (const auto& r : results) {
    h << "<tr><td><a href=\"#" << XmlEscape(r.id) << "\">" << XmlEscape(r.id) << "</a></td><td>"
      << XmlEscape(r.type) << "</td><td class=\"verdict " << CssClass(Verdict(r)) << "\">"
      << XmlEscape(Verdict(r)) << "</td><td>"
      << XmlEscape(r.action_outcome == ActionOutcome::kNotJudged ? Gate(r) : "guard: " + Guard(r))
      << "</td><td>" << XmlEscape(Canary(r)) << "</td><td>" << XmlEscape(Really(r)) << "</td></tr>\n";
  }
  h << "</table>\n";
  for (const auto& r : results) {
    h << "<h2 id=\"" << XmlEscape(r.id) << "\">" << XmlEscape(r.id) << ": <span class=\"verdict "
      << CssClass(Verdict(r)) << "\">" << XmlEscape(Verdict(r)) << "</span></h2><p>" << XmlEscape(r.title)
      << "</p>\n";
    if (r.canary_applies)
      h << "<img src=\"" << XmlEscape(r.id) << ".svg\" alt=\"timeline of " << XmlEscape(r.id) << "\">\n";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace ringfence::sim
