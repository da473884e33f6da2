#include "simulations/sim/replay_report.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/core/xml_text.h"

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

std::string Canary(const ScenarioResult& r) {
  if (!r.canary_applies) return "does not apply: " + r.canary_why;
  std::string s = r.outcome;
  if (r.Reverted()) {
    if (r.detect_ms >= 0)
      s += " " + FormatMinutes(r.detect_ms) + " after the fault struck";
    else if (r.fault_onset_ms < 0)
      s += " before any fault struck (" + FormatMinutes(r.decided_ms) + " in)";
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

void WriteReplayText(const std::vector<ScenarioResult>& results, const ReplaySummary& s, std::ostream& out) {
  for (const auto& r : results) {
    std::string verdict = r.type == "healthy" ? (r.false_alarm ? "FALSE ALARM"
                                                 : r.blocked   ? "BLOCKED (gate)"
                                                               : "ok")
                                              : (r.caught ? "CAUGHT" : "MISSED");
    out << r.id << " [" << r.type << "] " << verdict << "\n";
    out << "  " << r.title << "\n";
    out << "  gate:   " << Gate(r) << "\n";
    out << "  canary: " << Canary(r) << "\n";
    if (!r.reason.empty()) out << "          " << r.reason << "\n";
    std::string really = Really(r);
    if (!really.empty()) out << "  really: " << really << "\n";
    if (!r.reality.note.empty()) out << "  note:   " << r.reality.note << "\n";
  }
  out << "\nsummary: " << s.caught << " of " << s.incidents << " incidents caught (" << s.caught_by_gate
      << " stopped at the gate, " << s.caught_by_canary << " rolled back by the canary); " << s.false_alarms
      << " false alarm" << (s.false_alarms == 1 ? "" : "s") << " in " << s.healthy << " healthy rollouts";
  if (s.healthy_blocked) out << " (" << s.healthy_blocked << " held at the gate)";
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
        {"gate", {{"decision", r.gate_decision}, {"blocking_rules", r.gate_rules}, {"denied", r.blocked}}},
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
          {"fault_after_promotion", r.fault_after_promotion},
          {"reason", r.reason}}},
        {"caught", r.caught},
        {"false_alarm", r.false_alarm},
        {"events", r.events}};
    if (!r.canary_applies) j["canary"]["why_not"] = r.canary_why;
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
                  {"caught_by_canary", s.caught_by_canary},
                  {"healthy", s.healthy},
                  {"false_alarms", s.false_alarms},
                  {"healthy_blocked", s.healthy_blocked},
                  {"median_detect_ms", s.median_detect_ms},
                  {"median_hurt", s.median_hurt},
                  {"median_healthy_rollout_ms", s.median_healthy_rollout_ms},
                  {"events", s.events}};
  out << json{{"scenarios", list}, {"summary", summary}}.dump(2) << "\n";
}

std::string TimelineSvg(const ScenarioResult& r) {
  const double w = 760, h = 280, left = 56, right = 48, top = 34, bottom = 40;
  const double pw = w - left - right, ph = h - top - bottom;
  size_t n = std::max<size_t>(r.timeline.size(), 2);
  double max_rate = 0.01;
  for (const auto& p : r.timeline) {
    if (p.baseline_requests)
      max_rate = std::max(max_rate, double(p.baseline_errors) / double(p.baseline_requests));
    if (p.candidate_requests)
      max_rate = std::max(max_rate, double(p.candidate_errors) / double(p.candidate_requests));
  }
  max_rate *= 1.1;
  auto x = [&](double minute) { return left + pw * minute / double(n - 1); };
  auto y = [&](double rate) { return top + ph * (1 - rate / max_rate); };
  auto yw = [&](double weight) { return top + ph * (1 - weight / 100); };
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
    << "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  s << "<title>" << XmlEscape(r.id) << "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s << "<text x=\"" << left << "\" y=\"18\" font-size=\"13\" font-weight=\"bold\">" << XmlEscape(r.id) << ": "
    << XmlEscape(r.type == "healthy" ? (r.false_alarm ? "false alarm" : "healthy")
                                     : (r.caught ? "caught" : "missed"))
    << "</text>\n";
  s << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"#999\"/>\n";
  // Weight of the candidate (right axis), as steps.
  s << "<polyline fill=\"none\" stroke=\"#bbb\" stroke-width=\"2\" points=\"";
  for (size_t i = 0; i < r.timeline.size(); ++i) s << x(double(i)) << "," << yw(r.timeline[i].weight) << " ";
  s << "\"/>\n";
  auto series = [&](bool candidate, const char* colour) {
    s << "<polyline fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"1.5\" points=\"";
    for (size_t i = 0; i < r.timeline.size(); ++i) {
      const auto& p = r.timeline[i];
      long req = candidate ? p.candidate_requests : p.baseline_requests;
      long err = candidate ? p.candidate_errors : p.baseline_errors;
      if (req > 0) s << x(double(i)) << "," << y(double(err) / double(req)) << " ";
    }
    s << "\"/>\n";
  };
  series(false, "#1f77b4");
  series(true, "#d62728");
  const double warmup_min = 10;  // the baseline runs alone before the canary (replay.cc)
  auto mark = [&](int64_t at_ms, const char* colour, const char* label) {
    if (at_ms < 0) return;
    double m = warmup_min + double(at_ms) / 60000.0;
    if (m > double(n - 1)) return;
    s << "<line x1=\"" << x(m) << "\" x2=\"" << x(m) << "\" y1=\"" << top << "\" y2=\"" << top + ph
      << "\" stroke=\"" << colour << "\" stroke-dasharray=\"4 3\"/>\n<text x=\"" << x(m) + 3 << "\" y=\""
      << top + 12 << "\" fill=\"" << colour << "\">" << label << "</text>\n";
  };
  mark(0, "#555", "canary");
  mark(r.fault_onset_ms, "#ff7f0e", "fault");
  mark(r.decided_ms, "#d62728", "rollback");
  if (r.rollout_ms >= 0 && r.Promoted()) mark(r.rollout_ms, "#2ca02c", "promoted");
  s << "<text x=\"" << left - 6 << "\" y=\"" << top + 4 << "\" text-anchor=\"end\">"
    << Fixed(max_rate * 100, 1) << "%</text>\n";
  s << "<text x=\"" << left - 6 << "\" y=\"" << top + ph << "\" text-anchor=\"end\">0%</text>\n";
  s << "<text x=\"" << left + pw + 6 << "\" y=\"" << top + 4 << "\">100%</text>\n";
  s << "<text x=\"" << left << "\" y=\"" << h - 22 << "\">0</text><text x=\"" << left + pw << "\" y=\""
    << h - 22 << "\" text-anchor=\"end\">" << n - 1 << " min</text>\n";
  s << "<text x=\"" << left << "\" y=\"" << h - 6
    << "\"><tspan fill=\"#1f77b4\">baseline error rate</tspan>  "
    << "<tspan fill=\"#d62728\">candidate error rate</tspan>  <tspan fill=\"#999\">candidate weight (right "
       "axis)</tspan></text>\n";
  s << "</svg>\n";
  return s.str();
}

std::string ReplayIndexHtml(const std::vector<ScenarioResult>& results, const ReplaySummary& s) {
  std::ostringstream h;
  h << "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>ringfence replay</title>\n"
    << "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;border-bottom:1px solid "
       "#ddd;text-align:left}"
    << "img{border:1px solid #eee;margin:8px 0}</style></head><body>\n<h1>ringfence replay</h1>\n<p>"
    << s.caught << " of " << s.incidents << " incidents caught (" << s.caught_by_gate << " at the gate, "
    << s.caught_by_canary << " by the canary); " << s.false_alarms << " false alarms in " << s.healthy
    << " healthy rollouts; median time to detect " << FormatMinutes(static_cast<int64_t>(s.median_detect_ms))
    << ".</p>\n<table><tr><th>scenario</th><th>type</th><th>gate</th>"
    << "<th>canary</th><th>really</th></tr>\n";
  for (const auto& r : results) {
    h << "<tr><td><a href=\"#" << XmlEscape(r.id) << "\">" << XmlEscape(r.id) << "</a></td><td>"
      << XmlEscape(r.type) << "</td><td>" << XmlEscape(Gate(r)) << "</td><td>" << XmlEscape(Canary(r))
      << "</td><td>" << XmlEscape(Really(r)) << "</td></tr>\n";
  }
  h << "</table>\n";
  for (const auto& r : results) {
    h << "<h2 id=\"" << XmlEscape(r.id) << "\">" << XmlEscape(r.id) << "</h2><p>" << XmlEscape(r.title)
      << "</p>\n";
    if (r.canary_applies)
      h << "<img src=\"" << XmlEscape(r.id) << ".svg\" alt=\"timeline of " << XmlEscape(r.id) << "\">\n";
  }
  h << "</body></html>\n";
  return h.str();
}

}  // namespace ringfence::sim
