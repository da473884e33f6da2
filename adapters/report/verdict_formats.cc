#include "adapters/report/verdict_formats.h"

#include "adapters/report/sarif_log.h"

#include "engine/core/ansi_style.h"

#include "engine/core/civil_time.h"
#include "engine/core/xml_text.h"

#include "engine/rules/constraints_json.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
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
  return !f.waiver && (f.rule->effect == Effect::kWarn || f.rule->effect == Effect::kStage) ? "warning"
                                                                                            : "note";
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

// Text that GitHub-flavoured Markdown shows as written inside a line (never at the start of a
// block, where ringfence always writes a word first): every character that could start emphasis,
// a link or image, code, HTML, an entity, strikethrough or a table cell break is backslash-escaped
// (CommonMark allows escaping any ASCII punctuation); line breaks become spaces.
std::string MdEscape(std::string_view s) {
  static constexpr std::string_view kSpecial = "\\`*_[]<>|~&";
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A code span for any text: fenced by more backticks than it contains in a row, pipes escaped for
// table cells (GFM removes that backslash before the code span is read).
std::string MdCode(std::string_view s) {
  size_t run = 0, longest = 0;
  std::string body;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '|')
      body += "\\|";
    else
      body += c == '\n' || c == '\r' ? ' ' : c;
  }
  std::string fence(longest + 1, '`');
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || body.front() == ' ');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

}  // namespace

Tone ToneOf(Decision d) {
  switch (d) {
    case Decision::kAllow:
      return Tone::kGood;
    case Decision::kWarn:
    case Decision::kNeedsApproval:
      return Tone::kWarn;
    default:
      return Tone::kBad;
  }
}

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
  out << "ringfence check: " << Paint(Verb(v.decision), ToneOf(v.decision), c.color) << "\n";
  out << "  change " << f.scope.changes.base_rev << "..." << f.scope.changes.head_rev << ": "
      << f.scope.changes.files.size() << " file(s), +" << f.scope.changes.TotalAdded() << " -"
      << f.scope.changes.TotalDeleted() << "; author " << ToString(f.author_kind);
  if (!f.author_evidence.empty()) out << " (" << f.author_evidence << ")";
  out << "\n  " << c.rules->rules.size() << " rule(s) from";
  for (const auto& s : c.rule_sources) out << " " << s;
  if (c.rule_sources.empty()) out << " the built-in set only";
  out << "\n";
  for (const auto& fr : v.fired) {
    Tone tone = fr.waiver || fr.rule->effect == Effect::kAllow ? Tone::kGood
                : fr.rule->effect == Effect::kDeny             ? Tone::kBad
                                                               : Tone::kWarn;
    out << "\n  [" << Paint(FiredState(fr), tone, c.color) << "] " << fr.rule->id;
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
  if (!v.constraints.empty()) out << "\n  rollout constraints: " << v.constraints.Describe() << "\n";
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

namespace {

// SARIF wants a rule `name` distinct from its `id`: "ai.blast-radius" -> "AiBlastRadius".
std::string PascalName(std::string_view id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out.empty() ? "Rule" : out;
}

std::string RuleLocation(const Rule& r) { return r.file + (r.line > 0 ? ":" + std::to_string(r.line) : ""); }

json SarifRule(const Rule& r) {
  std::string summary = r.description.empty() ? Message(r) : r.description;
  if (summary.empty()) summary = r.id;
  std::string full = Message(r).empty() ? summary : Message(r);
  std::string when = r.when ? r.when->Describe() : "always";
  std::string help = full + "\n\nFires when " + when + ". Effect: " + ToString(r.effect) + ". Declared at " +
                     RuleLocation(r) + ".";
  std::string help_md = full + "\n\nFires when `" + when + "`. Effect: **" + ToString(r.effect) +
                        "**. Declared at `" + RuleLocation(r) + "`.";
  json rule = {{"id", r.id},
               {"shortDescription", {{"text", summary}}},
               {"fullDescription", {{"text", full}}},
               {"help", {{"text", help}, {"markdown", help_md}}},
               {"defaultConfiguration",
                {{"level", r.effect == Effect::kWarn || r.effect == Effect::kStage ? "warning"
                           : r.effect == Effect::kAllow                            ? "note"
                                                                                   : "error"}}},
               {"properties", {{"effect", ToString(r.effect)}, {"source", RuleLocation(r)}}}};
  // SARIF: a name must differ from the id (compared without case), else it is left out.
  std::string name = PascalName(r.id), lower_id = r.id, lower_name = name;
  for (auto* s : {&lower_id, &lower_name})
    for (char& ch : *s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower_id != lower_name) rule["name"] = name;
  return rule;
}

// Where a line of a changed file is shown: the evidence's line, else the file's first added line,
// else its first line.
int RegionLine(const ChangeSet& changes, const Evidence& e) {
  if (e.line > 0) return e.line;
  for (const auto& f : changes.files) {
    if (f.path == e.file && !f.added_lines.empty()) return f.added_lines.front().line;
  }
  return 1;
}

json SarifLocation(const std::string& file, int line, const std::string& message) {
  return {
      {"physicalLocation",
       {{"artifactLocation", {{"uri", file}, {"uriBaseId", "SRCROOT"}}}, {"region", {{"startLine", line}}}}},
      {"message", {{"text", message}}}};
}

constexpr size_t kMaxSarifLocations = 50;

// A result's locations: its evidence in files; a rule that judged the change as a whole (blast
// radius, tiers, staged channels) is shown on the changed files, where a pull request shows it.
json SarifLocations(const FiredRule& fr, const ChangeSet& changes, const std::string& text) {
  json locations = json::array();
  for (const auto& e : fr.match.evidence) {
    if (e.file.empty() || locations.size() >= kMaxSarifLocations) continue;
    locations.push_back(SarifLocation(e.file, RegionLine(changes, e), e.text.empty() ? text : e.text));
  }
  if (!locations.empty()) return locations;
  for (const auto& f : changes.files) {
    if (locations.size() >= kMaxSarifLocations) break;
    Evidence at{f.path, 0, ""};
    locations.push_back(
        SarifLocation(f.path, RegionLine(changes, at), "changed by the change this rule judged"));
  }
  return locations;
}

}  // namespace

void WriteVerdictSarif(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  const ChangeSet& changes = c.facts->scope.changes;
  json rules = json::array();
  std::map<std::string, size_t> index;
  for (const auto& r : c.rules->rules) {
    index[r.id] = rules.size();
    rules.push_back(SarifRule(r));
  }
  json results = json::array();
  for (const auto& fr : v.fired) {
    std::string text = Message(*fr.rule);
    if (text.empty()) text = fr.rule->id;
    std::string details;
    for (const auto& e : fr.match.evidence) {
      if (e.file.empty()) details += (details.empty() ? "" : "; ") + e.text;
    }
    json result = {
        {"ruleId", fr.rule->id},
        {"ruleIndex", index[fr.rule->id]},
        {"level", SarifLevel(fr)},
        {"message", {{"text", text + " [" + FiredState(fr) + "]" + (details.empty() ? "" : ": " + details)}}},
        {"properties", {{"effect", ToString(fr.rule->effect)}, {"satisfied", fr.satisfied}}}};
    json locations = SarifLocations(fr, changes, text);
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
  std::vector<std::string> errors;
  for (const auto& why : v.indeterminate) errors.push_back("cannot decide: " + why);
  json invocation = SarifInvocation(v.decision != Decision::kIndeterminate,
                                    {{"decision", ToString(v.decision)}, {"summary", v.summary}}, errors);
  json run = {{"tool", {{"driver", SarifDriver(rules)}}},
              {"originalUriBaseIds", {{"SRCROOT", {{"description", {{"text", "the repository's root"}}}}}}},
              {"invocations", json::array({invocation})},
              {"results", results},
              {"properties",
               {{"decision", ToString(v.decision)}, {"rolloutConstraints", ConstraintsJson(v.constraints)}}}};
  out << SarifLogText(run);
}

namespace {

std::string Seconds(int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(ms) / 1000.0);
  return buf;
}

// A JUnit class name for a rule: "ringfence." and its pack's file stem ("ringfence.ai-bounds"),
// made of characters that are a valid xs:token in every consumer.
std::string JunitClassName(const Rule& r) {
  std::string stem = std::filesystem::path(r.file).stem().string();
  if (r.builtin || stem.empty()) stem = "builtin";
  std::string out = "ringfence.";
  for (char c : stem) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  return out;
}

}  // namespace

void WriteVerdictJunit(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  std::map<const Rule*, const FiredRule*> fired;
  for (const auto& f : v.fired) fired[f.rule] = &f;
  size_t failures = 0;
  for (const auto& f : v.fired) failures += Blocking(f);
  size_t errors = v.indeterminate.empty() ? 0 : 1;
  size_t tests = c.rules->rules.size() + errors;
  // The strict Ant schema: testsuites carries no attributes; each testsuite has package and id,
  // then properties, testcases (each at most one failure or error), system-out and system-err.
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  out << "  <testsuite name=\"ringfence check\" package=\"ringfence\" id=\"0\" tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" skipped=\"0\" time=\""
      << Seconds(c.elapsed_ms) << "\" timestamp=\"" << FormatUtcSeconds(c.started_unix_ms) << "\" hostname=\""
      << XmlEscape(c.hostname.empty() ? "localhost" : c.hostname) << "\">\n";
  const ChangeSet& changes = c.facts->scope.changes;
  out << "    <properties>\n"
      << "      <property name=\"decision\" value=\"" << ToString(v.decision) << "\"/>\n"
      << "      <property name=\"base\" value=\"" << XmlEscape(changes.base_commit) << "\"/>\n"
      << "      <property name=\"head\" value=\"" << XmlEscape(changes.head_commit) << "\"/>\n"
      << "      <property name=\"author\" value=\"" << ToString(c.facts->author_kind) << "\"/>\n"
      << "    </properties>\n";
  std::string notes;  // fired rules that do not block: shown in the suite's output
  for (const auto& r : c.rules->rules) {
    out << "    <testcase classname=\"" << JunitClassName(r) << "\" name=\"" << XmlEscape(r.id)
        << "\" time=\"0.000\"";
    auto it = fired.find(&r);
    if (it == fired.end() || !Blocking(*it->second)) {
      out << "/>\n";
      if (it == fired.end()) continue;
    }
    const FiredRule& f = *it->second;
    std::string body;
    for (const auto& e : f.match.evidence)
      body += (Location(e).empty() ? "" : Location(e) + ": ") + e.text + "\n";
    if (!Blocking(f)) {
      notes += r.id + " [" + FiredState(f) + "] " + Message(r) + "\n" + body;
      continue;
    }
    out << ">\n      <failure message=\"" << XmlEscape(Message(r) + " [" + FiredState(f) + "]")
        << "\" type=\"" << ToString(r.effect) << "\">" << XmlEscape(body) << "</failure>\n    </testcase>\n";
  }
  if (!v.indeterminate.empty()) {
    std::string why;
    for (const auto& w : v.indeterminate) why += w + "\n";
    out << "    <testcase classname=\"ringfence.gate\" name=\"decidable\" time=\"0.000\">\n"
        << "      <error message=\"indeterminate\" type=\"indeterminate\">" << XmlEscape(why)
        << "</error>\n    </testcase>\n";
  }
  out << "    <system-out>" << XmlEscape(v.summary + "\n" + notes) << "</system-out>\n"
      << "    <system-err></system-err>\n  </testsuite>\n</testsuites>\n";
}

void WriteVerdictMarkdown(const VerdictContext& c, std::ostream& out) {
  const Verdict& v = *c.verdict;
  const ChangeFacts& f = *c.facts;
  out << "### ringfence: " << Verb(v.decision) << "\n\n";
  out << MdEscape(v.summary) << ". Author: **" << ToString(f.author_kind) << "**";
  if (!f.agents.empty()) out << " (" << MdEscape(f.agents.front()) << ")";
  out << ".\n\n";
  if (!v.fired.empty()) {
    out << "| rule | effect | why | evidence |\n| --- | --- | --- | --- |\n";
    for (const auto& fr : v.fired) {
      std::string ev;
      size_t n = 0;
      for (const auto& e : fr.match.evidence) {
        if (++n > 3) {
          ev += "<br>and " + std::to_string(fr.match.evidence.size() - 3) + " more";
          break;
        }
        std::string loc = Location(e);
        ev += (n > 1 ? "<br>" : "") + (loc.empty() ? "" : MdCode(loc) + " ") + MdEscape(e.text);
      }
      out << "| " << MdCode(fr.rule->id) << " | " << MdEscape(FiredState(fr)) << " | "
          << MdEscape(Message(*fr.rule)) << " | " << ev << " |\n";
    }
    out << "\n";
  }
  for (const auto& why : v.indeterminate) out << "- **Cannot decide:** " << MdEscape(why) << "\n";
  for (const auto& u : v.unused_waivers) {
    out << "- Waiver for " << MdCode(u.waiver->rule) << " does not apply: " << MdEscape(u.why) << "\n";
  }
  if (!v.constraints.empty())
    out << "\n**Rollout constraints:** " << MdEscape(v.constraints.Describe()) << ".\n";
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
