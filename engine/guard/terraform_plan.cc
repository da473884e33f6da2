#include "engine/guard/terraform_plan.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/core/civil_time.h"

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

// The managed resources of a state representation (`values` of `terraform show -json`, or a
// plan's prior_state), by address, child modules included. kInvalidInput for a malformed one.
Status CollectResources(const json& module, const std::string& where, int depth,
                        std::map<std::string, json>& out) {
  if (module.is_null()) return Status::Ok();
  if (!module.is_object() || depth > 64) return Error::InvalidInput(where + ": a module is not an object");
  if (auto r = module.find("resources"); r != module.end() && !r->is_null()) {
    if (!r->is_array()) return Error::InvalidInput(where + ": resources is not a list");
    for (const auto& res : *r) {
      std::string address = Str(res, "address");
      if (address.empty()) return Error::InvalidInput(where + ": a resource has no address");
      if (Str(res, "mode") == "data") continue;
      auto v = res.find("values");
      if (!out.emplace(address, v == res.end() ? json() : *v).second)
        return Error::InvalidInput(where + ": the resource " + address + " is listed twice");
    }
  }
  if (auto c = module.find("child_modules"); c != module.end() && !c->is_null()) {
    if (!c->is_array()) return Error::InvalidInput(where + ": child_modules is not a list");
    for (const auto& child : *c) {
      if (auto st = CollectResources(child, where, depth + 1, out); !st) return st;
    }
  }
  return Status::Ok();
}

Status CollectState(const json& state, const std::string& where, std::map<std::string, json>& out) {
  if (state.is_null()) return Status::Ok();  // no state yet
  if (!state.is_object()) return Error::InvalidInput(where + " is not an object");
  auto values = state.find("values");
  if (values == state.end() || values->is_null()) return Status::Ok();
  if (!values->is_object()) return Error::InvalidInput(where + ": values is not an object");
  return CollectResources(values->contains("root_module") ? (*values)["root_module"] : json(), where, 0, out);
}

// What changed in the stored state since the plan was made ("" when nothing did).
Result<std::string> ChangedSincePlan(const json& plan, const std::string& path, const std::string& state_text,
                                     const std::string& state_path) {
  json now = json::parse(state_text.begin(), state_text.end(), nullptr, false);
  if (now.is_discarded() || !now.is_object())
    return Error::InvalidInput(state_path + ": not a JSON object (the output of `terraform show -json`)");
  std::string version = Str(now, "format_version");
  if (version.empty() || version.rfind("1.", 0) != 0)
    return Error::InvalidInput(state_path + ": format_version " + (version.empty() ? "is missing" : version) +
                               " is not 1.x (the output of `terraform show -json`)");
  if (now.contains("resource_changes") || now.contains("planned_values"))
    return Error::InvalidInput(state_path +
                               ": this is a plan; --state takes the state (`terraform show -json`)");
  std::map<std::string, json> then, current;
  if (auto st = CollectState(plan.contains("prior_state") ? plan["prior_state"] : json(),
                             path + ": prior_state", then);
      !st)
    return st.error();
  // The plan's prior state is refreshed: where the refresh found drift, what was stored is `before`.
  if (auto drift = plan.find("resource_drift"); drift != plan.end() && drift->is_array()) {
    for (const auto& r : *drift) {
      std::string address = Str(r, "address");
      if (address.empty() || Str(r, "mode") == "data" || !r.contains("change") || !r["change"].is_object())
        continue;
      const json& before = r["change"].contains("before") ? r["change"]["before"] : json();
      if (before.is_null())
        then.erase(address);
      else
        then[address] = before;
    }
  }
  if (auto st = CollectState(now, state_path, current); !st) return st.error();
  std::vector<std::string> changed;
  for (const auto& [address, values] : current) {
    auto it = then.find(address);
    if (it == then.end())
      changed.push_back(address + " was created");
    else if (it->second != values)
      changed.push_back(address + " changed");
  }
  for (const auto& [address, values] : then) {
    if (!current.count(address)) changed.push_back(address + " was destroyed");
  }
  if (changed.empty()) return std::string();
  std::string text = "the state changed since the plan was made (" + state_path + "): ";
  for (size_t i = 0; i < changed.size() && i < 3; ++i) text += (i ? ", " : "") + changed[i];
  if (changed.size() > 3) text += " and " + std::to_string(changed.size() - 3) + " more";
  return text;
}

}  // namespace

Result<std::vector<Action>> ActionsOfTerraformPlan(std::string_view text, const std::string& path,
                                                   const TerraformPlanContext& context) {
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
  proto.place = context.place;
  if (std::string ts = Str(plan, "timestamp"); !ts.empty() && context.now_unix_ms > 0) {
    auto made = ParseRfc3339Ms(ts);
    if (!made) return Error::InvalidInput(path + ": timestamp " + ts + " is not an RFC 3339 time");
    // A plan from the future has no age the guard can trust.
    if (*made <= context.now_unix_ms + 5 * 60'000)
      proto.plan_age_ms = std::max<int64_t>(0, context.now_unix_ms - *made);
  }
  std::string stale;
  if (context.state) {
    auto changed = ChangedSincePlan(plan, path, *context.state, context.state_path);
    if (!changed) return changed.error();
    stale = *changed;
  }
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
    // A database deleted with its final snapshot can be restored from it.
    if (a.removes && before.is_object() && before.contains("skip_final_snapshot") &&
        before["skip_final_snapshot"] == false &&
        (type == "aws_db_instance" || type == "aws_rds_cluster" || type == "aws_docdb_cluster" ||
         type == "aws_neptune_cluster" || type == "aws_redshift_cluster")) {
      a.reversible = Tristate::kTrue;
      a.reversible_why = "a final snapshot is taken (skip_final_snapshot = false)";
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
  if (!stale.empty())
    for (Action& a : out) a.breaches.push_back({Invariant::kStalePlan, stale});
  return out;
}

}  // namespace ringfence
