#include "engine/image/openvex.h"

#include <nlohmann/json.hpp>

#include "engine/core/civil_time.h"

namespace ringfence {

const char* ToString(VexStatus s) {
  switch (s) {
    case VexStatus::kNotAffected:
      return "not_affected";
    case VexStatus::kAffected:
      return "affected";
    case VexStatus::kFixed:
      return "fixed";
    case VexStatus::kUnderInvestigation:
      return "under_investigation";
  }
  return "under_investigation";
}

Result<std::vector<VexStatement>> ParseOpenVex(std::string_view text, const std::string& path) {
  using json = nlohmann::json;
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    return Error::InvalidInput(path + ": not JSON: " + e.what());
  }
  auto bad = [&](const std::string& where, const std::string& why) {
    return Error::InvalidInput(path + ": " + where + " " + why);
  };
  if (!doc.is_object()) return bad("the document", "is not a JSON object");
  auto context = doc.find("@context");
  if (context == doc.end() || !context->is_string() ||
      context->get<std::string>().rfind("https://openvex.dev/ns", 0) != 0)
    return bad("@context", "is not an OpenVEX context (https://openvex.dev/ns/...)");
  auto statements = doc.find("statements");
  if (statements == doc.end() || !statements->is_array())
    return bad("statements", "is missing or not a list");
  static const char* kJustifications[] = {
      "component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
      "vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"};
  std::vector<VexStatement> out;
  for (size_t i = 0; i < statements->size(); ++i) {
    const json& s = (*statements)[i];
    std::string where = "statements[" + std::to_string(i) + "]";
    if (!s.is_object()) return bad(where, "is not an object");
    VexStatement st;
    st.source = path + ": " + where;
    auto vuln = s.find("vulnerability");
    if (vuln == s.end()) return bad(where + ".vulnerability", "is missing");
    if (vuln->is_string()) {
      st.vulnerability = vuln->get<std::string>();
    } else if (vuln->is_object()) {
      if (auto n = vuln->find("name"); n != vuln->end() && n->is_string())
        st.vulnerability = n->get<std::string>();
      else if (auto id = vuln->find("@id"); id != vuln->end() && id->is_string())
        st.vulnerability = id->get<std::string>();
      if (auto al = vuln->find("aliases"); al != vuln->end() && al->is_array())
        for (const auto& a : *al)
          if (a.is_string()) st.aliases.push_back(a.get<std::string>());
    }
    if (st.vulnerability.empty()) return bad(where + ".vulnerability", "has no name");
    auto products = s.find("products");
    if (products == s.end() || !products->is_array() || products->empty())
      return bad(where + ".products", "must be a non-empty list");
    for (size_t j = 0; j < products->size(); ++j) {
      const json& p = (*products)[j];
      std::string id;
      if (p.is_object()) {
        if (auto ids = p.find("identifiers");
            ids != p.end() && ids->is_object() && ids->contains("purl") && (*ids)["purl"].is_string())
          id = (*ids)["purl"].get<std::string>();
        else if (auto at = p.find("@id"); at != p.end() && at->is_string())
          id = at->get<std::string>();
      }
      auto purl = ParsePurl(id);
      if (!purl)
        return bad(where + ".products[" + std::to_string(j) + "]",
                   "is not a package URL: " + purl.error().message);
      st.products.push_back(*purl);
    }
    auto status = s.find("status");
    if (status == s.end() || !status->is_string()) return bad(where + ".status", "is missing");
    std::string st_name = status->get<std::string>();
    if (st_name == "not_affected")
      st.status = VexStatus::kNotAffected;
    else if (st_name == "affected")
      st.status = VexStatus::kAffected;
    else if (st_name == "fixed")
      st.status = VexStatus::kFixed;
    else if (st_name == "under_investigation")
      st.status = VexStatus::kUnderInvestigation;
    else
      return bad(where + ".status", "'" + st_name + "' is not an OpenVEX status");
    if (auto j = s.find("justification"); j != s.end()) {
      if (!j->is_string()) return bad(where + ".justification", "is not a string");
      st.justification = j->get<std::string>();
      bool known = false;
      for (const char* k : kJustifications) known = known || st.justification == k;
      if (!known)
        return bad(where + ".justification", "'" + st.justification + "' is not an OpenVEX justification");
    }
    if (auto im = s.find("impact_statement"); im != s.end() && im->is_string())
      st.impact_statement = im->get<std::string>();
    if (st.status == VexStatus::kNotAffected && st.justification.empty() && st.impact_statement.empty())
      return bad(where, "is not_affected without a justification or impact_statement");
    if (auto ex = s.find("expires"); ex != s.end()) {
      auto t = ex->is_string() ? ParseRfc3339Ms(ex->get<std::string>()) : std::nullopt;
      if (!t) return bad(where + ".expires", "is not an RFC 3339 time");
      st.expires_ms = *t;
    }
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace ringfence
