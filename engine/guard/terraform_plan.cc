#include "engine/guard/terraform_plan.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace ringfence {
namespace {

using nlohmann::json;

std::string Str(const json& o, const char* key) {
  if (!o.is_object()) return "";
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

bool IsDnsRecord(const std::string& type) {
  return type == "aws_route53_record" || type == "google_dns_record_set" || type == "cloudflare_record" ||
         type == "cloudflare_dns_record" ||
         (type.rfind("azurerm_dns_", 0) == 0 && type.size() > 7 &&
          type.substr(type.size() - 7) == "_record") ||
         type == "dnsimple_zone_record" || type == "digitalocean_record" || type == "ns1_record";
}

// The record set a DNS resource belongs to and how many records it holds in `values` (null: none).
std::pair<std::string, size_t> RecordSet(const std::string& type, const json& values) {
  if (!values.is_object()) return {"", 0};
  std::string zone = Str(values, "zone_id") + Str(values, "managed_zone") + Str(values, "zone_name") +
                     Str(values, "zone") + Str(values, "domain");
  std::string rtype = Str(values, "type");
  if (rtype.empty() && type.rfind("azurerm_dns_", 0) == 0) rtype = type.substr(12, type.size() - 12 - 7);
  std::string name = Str(values, "name");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!name.empty() && name.back() == '.') name.pop_back();
  size_t n = 1;  // a resource per record (cloudflare) unless it lists them
  for (const char* list : {"records", "rrdatas"}) {
    auto it = values.find(list);
    if (it != values.end() && it->is_array()) n = it->size();
  }
  if (auto alias = values.find("alias"); alias != values.end() && alias->is_array() && !alias->empty()) n = 1;
  return {zone + "|" + name + "|" + rtype, n};
}

struct ChangeSeen {
  size_t action_index = 0;
};

}  // namespace

Result<std::vector<Action>> ActionsOfTerraformPlan(std::string_view text, const std::string& path,
                                                   const Place& place) {
  if (text.size() > kMaxPlanBytes) return Error::InvalidInput(path + ": the plan is larger than 256 MiB");
  json plan = json::parse(text.begin(), text.end(), nullptr, false);
  if (plan.is_discarded() || !plan.is_object())
    return Error::InvalidInput(path + ": not a JSON object (the output of `terraform show -json PLANFILE`)");
  std::string version = Str(plan, "format_version");
  if (version.empty() || version.rfind("1.", 0) != 0)
    return Error::InvalidInput(path + ": format_version " +
                               (version.empty() ? "is missing" : version + " is not 1.x") +
                               " (the output of `terraform show -json PLANFILE`)");
  std::vector<Action> out;
  Action proto;
  proto.kind = ActionKind::kTerraform;
  proto.tool = "terraform";
  proto.source = path;
  proto.line = 1;
  proto.place = place;
  if ((plan.contains("errored") && plan["errored"] == true) ||
      (plan.contains("complete") && plan["complete"] == false)) {
    Action a = proto;
    a.verb = "apply";
    a.text = "the plan";
    a.opaque = plan.contains("errored") && plan["errored"] == true
                   ? "the plan errored: what it would do is not all in it"
                   : "the plan is incomplete (deferred changes are decided when it applies)";
    out.push_back(std::move(a));
  }
  auto rc = plan.find("resource_changes");
  if (rc == plan.end() || rc->is_null()) return out;
  if (!rc->is_array()) return Error::InvalidInput(path + ": resource_changes is not a list");
  std::map<std::string, std::pair<size_t, size_t>> record_sets;  // key -> records before, after
  std::map<std::string, std::vector<ChangeSeen>> set_changes;
  size_t index = 0;
  for (const auto& r : *rc) {
    ++index;
    std::string where = path + ": resource_changes[" + std::to_string(index - 1) + "]";
    if (!r.is_object()) return Error::InvalidInput(where + " is not an object");
    std::string address = Str(r, "address"), type = Str(r, "type");
    if (address.empty()) return Error::InvalidInput(where + " has no address");
    auto change = r.find("change");
    if (change == r.end() || !change->is_object() || !change->contains("actions") ||
        !(*change)["actions"].is_array())
      return Error::InvalidInput(where + " (" + address + ") has no change.actions list");
    std::vector<std::string> acts;
    for (const auto& a : (*change)["actions"]) {
      if (!a.is_string()) return Error::InvalidInput(where + " (" + address + "): an action is not a string");
      acts.push_back(a.get<std::string>());
    }
    auto has = [&](const char* a) { return std::find(acts.begin(), acts.end(), a) != acts.end(); };
    const json& before = change->contains("before") ? (*change)["before"] : json();
    const json& after = change->contains("after") ? (*change)["after"] : json();
    bool data = Str(r, "mode") == "data";
    Action a = proto;
    a.targets = {address};
    a.text = address + " (" + (acts.empty() ? std::string("?") : acts[0]) +
             (acts.size() > 1 ? ", " + acts[1] : "") + ")";
    if (has("delete") && has("create")) {
      a.verb = "replace";
      a.removes = true;
    } else if (has("delete")) {
      a.verb = "delete";
      a.removes = true;
    } else if (has("update")) {
      a.verb = "update";
    } else if (has("create")) {
      a.verb = "create";
    } else if (has("forget")) {
      a.verb = "forget";
    } else if (has("no-op") || has("read") || data) {
      a.verb = "";
    } else {
      a.verb = "apply";
      a.opaque = "an action the guard does not know: " + (acts.empty() ? std::string("none") : acts[0]);
    }
    if (IsDnsRecord(type) && !data) {
      auto [kb, nb] = RecordSet(type, before);
      auto [ka, na] = RecordSet(type, after);
      if (!kb.empty()) record_sets[kb].first += nb;
      if (!ka.empty() && !has("delete")) record_sets[ka].second += na;
      if (!ka.empty() && has("delete") && has("create"))
        record_sets[ka].second += na;  // replaced: it comes back
      if (!a.verb.empty() && !kb.empty()) set_changes[kb].push_back({out.size()});
      if (a.verb == "update" && !ka.empty() && na < nb) a.removes = true;  // records taken away
    }
    if (a.verb.empty()) continue;
    out.push_back(std::move(a));
  }
  for (const auto& [key, counts] : record_sets) {
    if (counts.first == 0 || counts.second > 0) continue;
    std::string name = key.substr(key.find('|') + 1);
    name = name.substr(0, name.find('|')) + " " + key.substr(key.rfind('|') + 1);
    for (const auto& seen : set_changes[key]) {
      if (seen.action_index < out.size())
        out[seen.action_index].breaches.push_back(
            {Invariant::kDnsRecordSetEmptied, "the record set " + name + " is left with no record (" +
                                                  std::to_string(counts.first) + " before)"});
    }
  }
  return out;
}

}  // namespace ringfence
