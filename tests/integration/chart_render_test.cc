// The replay timelines, the tune plot and the replay index as a reader's browser shows them:
// rendered by headless Chromium, which measures every label as laid out. A chart passes when it
// renders at its size, every label lies inside it, no two labels overlap, its axes have titles,
// and an error-rate axis never tops 100%. The index shows every timeline it links and each
// scenario's outcome as the JSON report has it. Screenshots are left in chart-screenshots/ of the
// test's working directory for people to look at.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/git_fixture.h"
#include "tests/support/required_tool.h"
#include "tests/support/run_process.h"

using namespace ringfence::testing;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Loads `page` in headless Chromium and returns the JSON its script left in <pre id="result">.
json RenderedResult(const std::string& page) {
  auto r = RunProcess({"chromium", "--headless", "--no-sandbox", "--disable-gpu",
                       "--virtual-time-budget=5000", "--dump-dom", "file://" + page});
  REQUIRE(r.exit_code == 0);
  const std::string open = "<pre id=\"result\">", close = "</pre>";
  auto from = r.out.find(open);
  REQUIRE(from != std::string::npos);
  from += open.size();
  auto to = r.out.find(close, from);
  REQUIRE(to != std::string::npos);
  std::string text = r.out.substr(from, to - from);
  for (auto [entity, ch] : {std::pair{"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1))
      text.replace(at, std::string(entity).size(), ch);
  }
  return json::parse(text);
}

// Measures one SVG chart inlined in a page: its size, its labels' boxes as laid out.
constexpr const char* kMeasureChart = R"(<script>
const svg = document.querySelector('svg'), box = svg.getBoundingClientRect();
const texts = [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, anchor: t.getAttribute('text-anchor'),
  x: parseFloat(t.getAttribute('x')), rect: t.getBoundingClientRect()}));
const out = {width: box.width, height: box.height, labels: texts.map(t => t.text), overlaps: [], outside: [],
  left_ticks: texts.filter(t => t.anchor === 'end' && t.x < 70).map(t => parseFloat(t.text))};
texts.forEach((a, i) => {
  const r = a.rect;
  if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1)
    out.outside.push(a.text);
  texts.slice(i + 1).forEach(b => {
    const w = Math.min(r.right, b.rect.right) - Math.max(r.left, b.rect.left);
    const h = Math.min(r.bottom, b.rect.bottom) - Math.max(r.top, b.rect.top);
    if (w > 0.5 && h > 0.5 && a.text && b.text) out.overlaps.push(a.text + ' | ' + b.text);
  });
});
const pre = document.createElement('pre'); pre.id = 'result'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>)";

json MeasureChart(const std::string& svg_path, const std::string& work) {
  std::string page = work + "/" + fs::path(svg_path).stem().string() + ".measure.html";
  std::ofstream(page) << "<!doctype html><html><body style=\"margin:0\">" << Slurp(svg_path) << kMeasureChart
                      << "</body></html>";
  return RenderedResult(page);
}

// A PNG of the chart at its own size, for people to look at.
void Screenshot(const std::string& svg_path, double width, double height) {
  fs::create_directories("chart-screenshots");
  std::string png = fs::absolute("chart-screenshots/" + fs::path(svg_path).stem().string() + ".png");
  fs::remove(png);
  auto r = RunProcess({"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                       "--window-size=" + std::to_string(int(width)) + "," + std::to_string(int(height)),
                       "--screenshot=" + png, "file://" + svg_path});
  CHECK(r.exit_code == 0);
  REQUIRE(fs::exists(png));
  CHECK(Slurp(png).substr(1, 3) == "PNG");
}

bool Has(const json& labels, const std::string& part) {
  for (const auto& l : labels)
    if (l.get<std::string>().find(part) != std::string::npos) return true;
  return false;
}

void CheckLegible(const json& m) {
  CHECK(m["width"].get<double>() >= 600);
  CHECK(m["height"].get<double>() >= 300);
  CHECK(m["overlaps"].empty());
  CHECK(m["outside"].empty());
  CHECK(m["labels"].size() >= 20);  // title, legend, tick labels, axis titles
}

}  // namespace

TEST_CASE("charts: every replay timeline renders in Chromium with titled axes and no overlapping labels") {
  if (!HaveTool("chromium")) return;
  TempDir tmp;
  std::string out = tmp.path() + "/replay";
  auto r =
      RunRingfence({"replay", std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents", "--svg", out});
  REQUIRE(r.exit_code == 0);
  int charts = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    if (entry.path().extension() != ".svg") continue;
    ++charts;
    INFO(entry.path().filename().string());
    json m = MeasureChart(entry.path().string(), tmp.path());
    INFO(m.dump());
    CheckLegible(m);
    CHECK(Has(m["labels"], "error rate (%)"));
    CHECK(Has(m["labels"], "candidate weight (%)"));
    CHECK(Has(m["labels"], "time since the canary began ("));
    CHECK(Has(m["labels"], "canary"));
    double top = 0;
    for (const auto& t : m["left_ticks"]) top = std::max(top, t.get<double>());
    CHECK(top > 0);
    CHECK(top <= 100);
    Screenshot(entry.path().string(), m["width"], m["height"]);
  }
  CHECK(charts >= 10);
}

TEST_CASE("charts: the tune plot renders in Chromium with both panels and no overlapping labels") {
  if (!HaveTool("chromium")) return;
  TempDir tmp;
  std::string svg = tmp.path() + "/tune.svg";
  // One run writes the plot and the rows it plots.
  auto r = RunRingfence({"tune", std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents", "--sweep",
                         "weight=1,5", "--sweep", "errors_judge=sequential,count", "--svg", svg, "--csv",
                         tmp.path() + "/t.csv"});
  REQUIRE(r.exit_code == 0);
  json m = MeasureChart(svg, tmp.path());
  INFO(m.dump());
  CheckLegible(m);
  CHECK(Has(m["labels"], "incidents caught (of "));
  CHECK(Has(m["labels"], "median sessions hurt per incident"));
  CHECK(Has(m["labels"], "median healthy rollout (min)"));
  CHECK(Has(m["labels"], "Pareto-best"));
  // One filled marker per Pareto row in each panel, drawn after (above) the hollow ones.
  std::string text = Slurp(svg);
  std::ifstream rows(tmp.path() + "/t.csv");
  std::string line;
  int pareto = 0, total = 0;
  std::getline(rows, line);
  while (std::getline(rows, line)) ++total, pareto += line.back() == '1';
  CHECK(total == 5);
  size_t tooltips = 0, filled_tooltips = 0;
  for (size_t at = text.find("<title>"); at != std::string::npos; at = text.find("<title>", at + 1)) {
    ++tooltips;
    std::string tip = text.substr(at, text.find("</title>", at) - at);
    filled_tooltips += tip.size() > 13 && tip.compare(tip.size() - 13, 13, "(Pareto-best)") == 0;
  }
  CHECK(tooltips == 1 + 2 * size_t(total));  // the figure's title, then one per row and panel
  CHECK(filled_tooltips == 2 * size_t(pareto));
  Screenshot(svg, m["width"], m["height"]);
}

TEST_CASE("charts: the replay index shows every timeline it links and each scenario's outcome") {
  if (!HaveTool("chromium")) return;
  TempDir tmp;
  std::string out = tmp.path() + "/replay";
  std::string incidents = std::string(RINGFENCE_SOURCE_DIR) + "/simulations/incidents";
  REQUIRE(RunRingfence({"replay", incidents, "--svg", out}).exit_code == 0);
  auto report = RunRingfence({"replay", incidents, "--format", "json"});
  REQUIRE(report.exit_code == 0);
  json scenarios = json::parse(report.out)["scenarios"];
  std::string html = Slurp(out + "/index.html");
  auto body_end = html.rfind("</body>");
  REQUIRE(body_end != std::string::npos);
  html.insert(body_end, R"(<script>
window.addEventListener('load', () => {
  const images = [...document.images].map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0}));
  const rows = [...document.querySelectorAll('table tr')].slice(1).map(tr => [...tr.cells].map(c => c.textContent));
  const pre = document.createElement('pre'); pre.id = 'result';
  pre.textContent = JSON.stringify({images, rows}); document.body.appendChild(pre);
});
</script>)");
  std::string page = out + "/index.check.html";
  std::ofstream(page) << html;
  json seen = RenderedResult(page);
  INFO(seen.dump());
  int canaried = 0;
  for (const auto& s : scenarios) canaried += s["canary"]["applies"].get<bool>();
  REQUIRE(seen["images"].size() == size_t(canaried));
  for (const auto& image : seen["images"]) CHECK(image["ok"].get<bool>());
  REQUIRE(seen["rows"].size() == scenarios.size());
  for (size_t i = 0; i < scenarios.size(); ++i) {
    const auto& s = scenarios[i];
    const auto& row = seen["rows"][i];
    INFO(s["id"]);
    CHECK(row[0] == s["id"]);
    bool gate_holds = s["gate"]["stopped"].get<bool>() || s["gate"]["held"].get<bool>();
    bool guard_holds =
        s.contains("guard") && (s["guard"]["outcome"] == "stopped" || s["guard"]["outcome"] == "held");
    std::string expected = s["type"] == "healthy" ? (s["false_alarm"].get<bool>() ? "false alarm"
                                                     : gate_holds                 ? "held at the gate"
                                                     : guard_holds                ? "held by the guard"
                                                                                  : "ok")
                                                  : (s["caught"].get<bool>() ? "caught" : "missed");
    CHECK(row[2] == expected);
  }
}
