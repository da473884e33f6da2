#include "adapters/report/verdict_formats.h"

#include "engine/core/xml_text.h"

#include "engine/rules/constraints_json.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ringfence::report {
namespace {

using nlohmann::json;

std::string Dump(const json& j, int indent = 2) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

std::string Location(const Evidence& e) {
  if (e.file.empty()) return "";
  return e.file + (e.line > 0 ? ":" + std::to_string(e.line) : "");
}

const char* Verb(Decision d) {
  switch (d) {
    case Decision::kAllow:
      return "ALLOWED";
    case Decision::kWarn:
      return "ALLOWED WITH WARNINGS";
    case Decision::kNeedsApproval:
      return "APPROVAL REQUIRED";
    case Decision::kDeny:
      return "DENIED";
    case Decision::kIndeterminate:
      return "INDETERMINATE";
  }
  return "?";
}

std::string Message(const Rule& r) { return r.message.empty() ? r.description : r.message; }

// SARIF level of a fired rule: error blocks the merge, warning does not, note is informational.
const char* SarifLevel(const FiredRule& f) {
  if (Blocking(f)) return "error";
  return !f.waiver && f.rule->effect == Effect::kWarn ? "warning" : "note";
}

// GitHub workflow command escaping: data and property values.
std::string GhData(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else
      out += c;
  }
  return out;
}

std::string GhProperty(std::string_view s) {
  std::string out = GhData(s), r;
  for (char c : out) {
    if (c == ':')
      r += "%3A";
    else if (c == ',')
      r += "%2C";
    else
      r += c;
  }
  return r;
}

std::string MdEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|' || c == '`' || c == '*' || c == '_' || c == '<' || c == '>') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out;
}

}  // namespace

std::string FiredState(const FiredRule& f) {
  std::string s = ToString(f.rule->effect);
  if (f.waiver)
    return s + " (waived by " + f.waiver->approver + " until " + f.waiver->expires + ": " + f.waiver->reason +
           ")";
  if (f.rule->effect == Effect::kRequireApproval) {
    s += " (" + std::to_string(f.approved_by.size()) + " of " + std::to_string(f.rule->min_approvals) +
         " approval(s)";
    if (!f.rule->approvers.empty()) {
      s += " from";
      for (const auto& a : f.rule->approvers) s += " " + a;
    }
    s += f.satisfied ? ", satisfied)" : ")";
  }
  return s;
}

void WriteVerdictText(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  const ChangeFacts& f = *c.facts;
  out << "ringfence check: " << Verb(v.decision) << "\n";
  out << "  change " << f.scope.changes.base_rev << "..." << f.scope.changes.head_rev << ": "
      << f.scope.changes.files.size() << " file(s), +" << f.scope.changes.TotalAdded() << " -"
      << f.scope.changes.TotalDeleted() << "; author " << ToString(f.author_kind);
  if (!f.author_evidence.empty()) out << " (" << f.author_evidence << ")";
  out << "\n  " << c.rules->rules.size() << " rule(s) from";
  for (const auto& s : c.rule_sources) out << " " << s;
  if (c.rule_sources.empty()) out << " the built-in set only";
  out << "\n";
  for (const auto& fr : v.fired) {
    out << "\n  [" << FiredState(fr) << "] " << fr.rule->id;
    if (!Message(*fr.rule).empty()) out << ": " << Message(*fr.rule);
    out << "\n      rule at " << fr.rule->file << (fr.rule->line ? ":" + std::to_string(fr.rule->line) : "")
        << ", when " << fr.rule->when->Describe() << "\n";
    size_t shown = 0;
    for (const auto& e : fr.match.evidence) {
      if (++shown > 10) {
        out << "      ... " << fr.match.evidence.size() - 10 << " more\n";
        break;
      }
      std::string loc = Location(e);
      out << "      - " << (loc.empty() ? "" : loc + ": ") << e.text << "\n";
    }
  }
  for (const auto& u : v.unused_waivers) {
    out << "\n  waiver for " << u.waiver->rule << " at " << u.waiver->file << ":" << u.waiver->line
        << " does not apply: " << u.why << "\n";
  }
  for (const auto& why : v.indeterminate) out << "\n  cannot decide: " << why << "\n";
  if (!v.constraints.empty())
    out << "\n  rollout constraints: " << Dump(ConstraintsJson(v.constraints), -1) << "\n";
  out << "\n" << v.summary << "\n";
}

void WriteVerdictJson(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  const ChangeFacts& f = *c.facts;
  json fired = json::array();
  for (const auto& fr : v.fired) {
    json ev = json::array();
    for (const auto& e : fr.match.evidence)
      ev.push_back({{"file", e.file}, {"line", e.line}, {"text", e.text}});
    json item = {{"rule", fr.rule->id},
                 {"effect", ToString(fr.rule->effect)},
                 {"message", Message(*fr.rule)},
                 {"rule_location", fr.rule->file + ":" + std::to_string(fr.rule->line)},
                 {"condition", fr.rule->when->Describe()},
                 {"evidence", ev},
                 {"state", FiredState(fr)},
                 {"waived", fr.waiver != nullptr}};
    if (fr.rule->effect == Effect::kRequireApproval) {
      item["approvals"] = {
          {"required", fr.rule->min_approvals},
          {"approvers", fr.rule->approvers},
          {"approved_by", fr.approved_by},
          {"satisfied", fr.satisfied},
          {"who_may_approve", fr.rule->approvers.empty() ? "owners of the changed files" : "approvers"}};
      item["rejected_approvals"] = fr.rejected_approvals;
    }
    if (fr.waiver) {
      item["waiver"] = {{"file", fr.waiver->file},
                        {"line", fr.waiver->line},
                        {"approver", fr.waiver->approver},
                        {"reason", fr.waiver->reason},
                        {"expires", fr.waiver->expires}};
    }
    fired.push_back(item);
  }
  json unused = json::array();
  for (const auto& u : v.unused_waivers) {
    unused.push_back(
        {{"rule", u.waiver->rule}, {"file", u.waiver->file}, {"line", u.waiver->line}, {"why", u.why}});
  }
  json bumps = json::array();
  for (const auto& b : f.bumps) {
    bumps.push_back({{"manifest", b.manifest},
                     {"ecosystem", b.ecosystem},
                     {"package", b.package},
                     {"from", b.from},
                     {"to", b.to},
                     {"level", ToString(b.level)}});
  }
  json j = {
      {"schema", "ringfence.verdict/v1"},
      {"decision", ToString(v.decision)},
      {"summary", v.summary},
      {"base", f.scope.changes.base_commit},
      {"merge_base", f.scope.changes.merge_base},
      {"head", f.scope.changes.head_commit},
      {"patch_id", f.scope.changes.patch_id},
      {"author", {{"kind", ToString(f.author_kind)}, {"agents", f.agents}, {"evidence", f.author_evidence}}},
      {"branch", f.branch},
      {"labels", f.labels},
      {"intent",
       {{"declared", f.intent.declared},
        {"source", f.intent.source},
        {"components", f.intent.components},
        {"paths", f.intent.paths}}},
      {"rules", {{"count", c.rules->rules.size()}, {"sources", c.rule_sources}}},
      {"fired", fired},
      {"unused_waivers", unused},
      {"indeterminate", v.indeterminate},
      {"dependency_bumps", bumps},
      {"rollout_constraints", ConstraintsJson(v.constraints)},
      {"scope",
       {{"files", f.scope.changes.files.size()},
        {"components", f.scope.components.size()},
        {"unresolved", f.scope.unresolved}}}};
  out << Dump(j) << "\n";
}

void WriteVerdictSarif(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  json rules = json::array();
  std::map<std::string, size_t> index;
  for (const auto& r : c.rules->rules) {
    index[r.id] = rules.size();
    json rule = {{"id", r.id},
                 {"name", r.id},
                 {"shortDescription", {{"text", r.description.empty() ? r.id : r.description}}},
                 {"defaultConfiguration",
                  {{"level", r.effect == Effect::kWarn    ? "warning"
                             : r.effect == Effect::kAllow ? "note"
                                                          : "error"}}},
                 {"properties", {{"effect", ToString(r.effect)}, {"source", r.file}}}};
    if (!r.message.empty()) rule["fullDescription"] = {{"text", r.message}};
    rules.push_back(rule);
  }
  json results = json::array();
  for (const auto& fr : v.fired) {
    json locations = json::array();
    std::string text = Message(*fr.rule);
    if (text.empty()) text = fr.rule->id;
    std::string details;
    for (const auto& e : fr.match.evidence) {
      if (!e.file.empty() && locations.size() < 50) {
        json phys = {{"artifactLocation", {{"uri", e.file}}}};
        if (e.line > 0) phys["region"] = {{"startLine", e.line}};
        locations.push_back(
            {{"physicalLocation", phys}, {"message", {{"text", e.text.empty() ? text : e.text}}}});
      } else if (e.file.empty()) {
        details += (details.empty() ? "" : "; ") + e.text;
      }
    }
    json result = {
        {"ruleId", fr.rule->id},
        {"ruleIndex", index[fr.rule->id]},
        {"level", SarifLevel(fr)},
        {"message", {{"text", text + " [" + FiredState(fr) + "]" + (details.empty() ? "" : ": " + details)}}},
        {"properties", {{"effect", ToString(fr.rule->effect)}, {"satisfied", fr.satisfied}}}};
    if (!locations.empty()) result["locations"] = locations;
    if (fr.waiver) {
      result["suppressions"] =
          json::array({{{"kind", "external"},
                        {"status", "accepted"},
                        {"justification", fr.waiver->reason + " (approved by " + fr.waiver->approver +
                                              ", expires " + fr.waiver->expires + ")"}}});
    }
    results.push_back(result);
  }
  json notifications = json::array();
  for (const auto& why : v.indeterminate) {
    notifications.push_back({{"level", "error"}, {"message", {{"text", "cannot decide: " + why}}}});
  }
  json invocation = {{"executionSuccessful", v.decision != Decision::kIndeterminate},
                     {"properties", {{"decision", ToString(v.decision)}, {"summary", v.summary}}}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array({{{"tool", {{"driver", {{"name", "ringfence"}, {"version", "0.1.0"}, {"rules", rules}}}}},
                     {"invocations", json::array({invocation})},
                     {"results", results},
                     {"properties",
                      {{"decision", ToString(v.decision)},
                       {"rolloutConstraints", ConstraintsJson(v.constraints)}}}}})}};
  out << Dump(sarif) << "\n";
}

void WriteVerdictJunit(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  std::map<const Rule*, const FiredRule*> fired;
  for (const auto& f : v.fired) fired[f.rule] = &f;
  size_t failures = 0;
  for (const auto& f : v.fired) failures += Blocking(f);
  size_t tests = c.rules->rules.size() + (v.indeterminate.empty() ? 0 : 1);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"ringfence\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\""
      << (v.indeterminate.empty() ? 0 : 1) << "\">\n";
  out << "  <testsuite name=\"ringfence check\" tests=\"" << tests << "\" failures=\"" << failures
      << "\" errors=\"" << (v.indeterminate.empty() ? 0 : 1) << "\">\n";
  for (const auto& r : c.rules->rules) {
    out << "    <testcase classname=\"ringfence." << XmlEscape(r.file) << "\" name=\"" << XmlEscape(r.id)
        << "\"";
    auto it = fired.find(&r);
    if (it == fired.end()) {
      out << "/>\n";
      continue;
    }
    const FiredRule& f = *it->second;
    std::string body;
    for (const auto& e : f.match.evidence)
      body += (Location(e).empty() ? "" : Location(e) + ": ") + e.text + "\n";
    out << ">\n";
    if (Blocking(f)) {
      out << "      <failure message=\"" << XmlEscape(Message(r) + " [" + FiredState(f) + "]") << "\" type=\""
          << ToString(r.effect) << "\">" << XmlEscape(body) << "</failure>\n";
    } else {
      out << "      <system-out>" << XmlEscape("[" + FiredState(f) + "] " + Message(r) + "\n" + body)
          << "</system-out>\n";
    }
    out << "    </testcase>\n";
  }
  if (!v.indeterminate.empty()) {
    std::string why;
    for (const auto& w : v.indeterminate) why += w + "\n";
    out << "    <testcase classname=\"ringfence\" name=\"decidable\">\n      <error "
           "message=\"indeterminate\">"
        << XmlEscape(why) << "</error>\n    </testcase>\n";
  }
  out << "  </testsuite>\n</testsuites>\n";
}

void WriteVerdictMarkdown(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  const ChangeFacts& f = *c.facts;
  out << "### ringfence: " << Verb(v.decision) << "\n\n";
  out << MdEscape(v.summary) << ". Author: **" << ToString(f.author_kind) << "**";
  if (!f.agents.empty()) out << " (" << MdEscape(f.agents.front()) << ")";
  out << ".\n\n";
  if (!v.fired.empty()) {
    out << "| rule | effect | evidence |\n| --- | --- | --- |\n";
    for (const auto& fr : v.fired) {
      std::string ev;
      size_t n = 0;
      for (const auto& e : fr.match.evidence) {
        if (++n > 3) {
          ev += "<br>… " + std::to_string(fr.match.evidence.size() - 3) + " more";
          break;
        }
        std::string loc = Location(e);
        ev += (n > 1 ? "<br>" : "") + (loc.empty() ? "" : "`" + loc + "` ") + MdEscape(e.text);
      }
      out << "| `" << fr.rule->id << "` | " << MdEscape(FiredState(fr)) << " | " << ev << " |\n";
    }
    out << "\n";
  }
  for (const auto& why : v.indeterminate) out << "- **Cannot decide:** " << MdEscape(why) << "\n";
  for (const auto& u : v.unused_waivers) {
    out << "- Waiver for `" << u.waiver->rule << "` does not apply: " << MdEscape(u.why) << "\n";
  }
  if (!v.constraints.empty())
    out << "\nRollout constraints: `" << Dump(ConstraintsJson(v.constraints), -1) << "`\n";
}

void WriteVerdictGithub(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  for (const auto& fr : v.fired) {
    std::string level = SarifLevel(fr);
    const char* cmd = level == "error" ? "error" : level == "warning" ? "warning" : "notice";
    std::string msg =
        (Message(*fr.rule).empty() ? fr.rule->id : Message(*fr.rule)) + " [" + FiredState(fr) + "]";
    bool any_file = false;
    for (const auto& e : fr.match.evidence) {
      if (e.file.empty()) continue;
      any_file = true;
      out << "::" << cmd << " file=" << GhProperty(e.file);
      if (e.line > 0) out << ",line=" << e.line;
      out << ",title=" << GhProperty("ringfence " + fr.rule->id) << "::" << GhData(msg + ": " + e.text)
          << "\n";
    }
    if (!any_file)
      out << "::" << cmd << " title=" << GhProperty("ringfence " + fr.rule->id) << "::" << GhData(msg)
          << "\n";
  }
  for (const auto& why : v.indeterminate)
    out << "::error title=ringfence::" << GhData("cannot decide: " + why) << "\n";
  out << "::" << (v.decision == Decision::kAllow || v.decision == Decision::kWarn ? "notice" : "error")
      << " title=ringfence::" << GhData(v.summary) << "\n";
}

}  // namespace ringfence::report
