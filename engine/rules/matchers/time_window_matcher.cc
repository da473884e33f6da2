// time_window: the evaluation time (ChangeFacts::now) falls in a window, in a named time zone
// (IANA, read from the system's tz database): a freeze between two dates, or weekly hours.
#include <date/tz.h>

#include <sstream>

#include "engine/core/civil_time.h"
#include "engine/rules/matcher_registry.h"
#include "engine/rules/matchers/matcher_util.h"

namespace ringfence {
namespace {

using Minutes = std::chrono::minutes;
using LocalMinutes = date::local_time<Minutes>;

class TimeWindowMatcher : public Matcher {
 public:
  const date::time_zone* zone = nullptr;
  std::string zone_name;
  std::optional<LocalMinutes> from_date, to_date;  // absolute window
  std::vector<unsigned> days;                      // weekly: 0 = Sunday .. 6 = Saturday
  Minutes from_time{0}, to_time{24 * 60};
  std::string text;

  MatchResult Evaluate(const ChangeFacts& facts) const override {
    auto local = date::make_zoned(zone, date::floor<Minutes>(facts.now)).get_local_time();
    bool in = false;
    if (from_date) {
      in = local >= *from_date && local < *to_date;
    } else {
      auto day = date::floor<date::days>(local);
      unsigned wd = date::weekday(day).c_encoding();
      Minutes tod = date::floor<Minutes>(local - day);
      bool day_ok = days.empty();
      for (unsigned d : days) day_ok = day_ok || d == wd;
      in = day_ok && tod >= from_time && tod < to_time;
    }
    MatchResult r;
    r.matched = in;
    if (in) {
      std::ostringstream s;
      s << "now is " << date::format("%F %R", local) << " " << zone_name << ", inside " << text;
      r.evidence.push_back({"", 0, s.str()});
    }
    return r;
  }
  std::string Describe() const override { return "time_window " + text; }
  std::optional<std::string> Impossible(const LintContext& ctx) const override {
    if (!ctx.now || !to_date) return std::nullopt;
    auto end = zone->to_sys(*to_date, date::choose::latest);
    if (end > *ctx.now) return std::nullopt;
    return "the window " + text + " has passed";
  }
};

std::optional<LocalMinutes> ParseLocal(const std::string& s) {
  auto m = ParseDayTime(s);
  if (!m) return std::nullopt;
  return LocalMinutes(*m);
}

}  // namespace

Result<std::unique_ptr<Matcher>> ParseTimeWindow(const YamlDoc& doc, const YAML::Node& v) {
  if (auto st = doc.CheckKeys(v, {"timezone", "from", "to", "days"}, "time_window"); !st) return st.error();
  auto m = std::make_unique<TimeWindowMatcher>();
  if (!v["timezone"]) return doc.ErrorAt(v, "time_window needs a timezone (e.g. Europe/Berlin, UTC)");
  auto tz = doc.String(v["timezone"], "timezone");
  if (!tz) return tz.error();
  try {
    m->zone = date::locate_zone(*tz);
  } catch (const std::exception&) {
    return doc.ErrorAt(v["timezone"], "unknown time zone '" + *tz + "'");
  }
  m->zone_name = *tz;
  std::string from = v["from"] ? v["from"].Scalar() : "", to = v["to"] ? v["to"].Scalar() : "";
  if (v["days"]) {
    auto days = doc.StringList(v["days"], "days");
    if (!days) return days.error();
    static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (size_t i = 0; i < days->size(); ++i) {
      bool ok = false;
      for (unsigned d = 0; d < 7; ++d) {
        if ((*days)[i] == kDays[d]) {
          m->days.push_back(d);
          ok = true;
        }
      }
      if (!ok)
        return doc.ErrorAt(v["days"].IsSequence() ? v["days"][i] : v["days"], "days are sun, mon, ... sat");
    }
    if (!from.empty()) {
      auto f = ParseClock(from);
      if (!f) return doc.ErrorAt(v["from"], "from must be HH:MM for a weekly window");
      m->from_time = *f;
    }
    if (!to.empty()) {
      auto t = ParseClock(to);
      if (!t) return doc.ErrorAt(v["to"], "to must be HH:MM for a weekly window");
      m->to_time = *t;
    }
    if (m->to_time <= m->from_time) return doc.ErrorAt(v, "time_window: `to` must be after `from`");
    m->text = "[" + matchers::Join(*days) + "] " + (from.empty() ? "00:00" : from) + "-" +
              (to.empty() ? "24:00" : to) + " " + *tz;
  } else {
    if (from.empty() || to.empty()) {
      return doc.ErrorAt(v, "time_window needs `from` and `to` (YYYY-MM-DD [HH:MM]) or `days`");
    }
    m->from_date = ParseLocal(from);
    if (!m->from_date) return doc.ErrorAt(v["from"], "from must be YYYY-MM-DD or YYYY-MM-DD HH:MM");
    m->to_date = ParseLocal(to);
    if (!m->to_date) return doc.ErrorAt(v["to"], "to must be YYYY-MM-DD or YYYY-MM-DD HH:MM");
    if (*m->to_date <= *m->from_date) return doc.ErrorAt(v["to"], "time_window: `to` must be after `from`");
    m->text = from + " to " + to + " " + *tz;
  }
  return std::unique_ptr<Matcher>(std::move(m));
}

}  // namespace ringfence
