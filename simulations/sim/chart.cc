#include "simulations/sim/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "engine/core/xml_text.h"

namespace ringfence::sim::chart {
namespace {

constexpr double kFont = 11;        // tick labels, legend, markers
constexpr double kCharWidth = 6.6;  // a generous average advance of an 11 px sans-serif glyph
constexpr double kLeft = 70, kRightWithAxis = 70, kRight = 24;
constexpr double kLegendRow = 18;

double TextWidth(const std::string& text, double size = kFont) {
  return static_cast<double>(text.size()) * kCharWidth * size / kFont;
}

std::string Num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

// A tick's label with as many decimals as the step needs, never "-0".
std::string TickLabel(double v, double step) {
  int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  if (std::abs(v) < step * 1e-6) v = 0;
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", std::min(decimals, 6), v);
  return b;
}

double TickStep(const std::vector<double>& ticks, double fallback) {
  return ticks.size() >= 2 ? ticks[1] - ticks[0] : fallback;
}

// Text with a white halo, readable over gridlines and series.
void Label(std::ostringstream& s, double x, double y, const std::string& text, const std::string& colour,
           const char* anchor = "start", double size = kFont, const char* weight = "normal") {
  s << "<text x=\"" << Num(x) << "\" y=\"" << Num(y) << "\" fill=\"" << colour << "\" text-anchor=\""
    << anchor << "\" font-size=\"" << size << "\" font-weight=\"" << weight
    << "\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">" << XmlEscape(text) << "</text>\n";
}

struct Frame {  // the plotting area of a panel, in px, and its scales
  double left, top, width, height;
  Axis x, y;
  std::optional<Axis> y_right;
  double X(double v) const { return left + width * (v - x.min) / (x.max - x.min); }
  double Y(double v) const { return top + height * (1 - (v - y.min) / (y.max - y.min)); }
  double YRight(double v) const {
    return top + height * (1 - (v - y_right->min) / (y_right->max - y_right->min));
  }
};

void DrawAxes(std::ostringstream& s, const Frame& f, double figure_width) {
  int x_target = std::max(2, static_cast<int>(f.width / 80));
  auto xt = NiceTicks(f.x.min, f.x.max, x_target, f.x.integer_ticks);
  auto yt = NiceTicks(f.y.min, f.y.max, std::max(2, static_cast<int>(f.height / 40)), f.y.integer_ticks);
  s << "<g stroke=\"#e3e3e3\" stroke-width=\"1\">\n";
  for (double t : xt)
    s << "<line x1=\"" << Num(f.X(t)) << "\" x2=\"" << Num(f.X(t)) << "\" y1=\"" << Num(f.top) << "\" y2=\""
      << Num(f.top + f.height) << "\"/>\n";
  for (double t : yt)
    s << "<line x1=\"" << Num(f.left) << "\" x2=\"" << Num(f.left + f.width) << "\" y1=\"" << Num(f.Y(t))
      << "\" y2=\"" << Num(f.Y(t)) << "\"/>\n";
  s << "</g>\n<rect x=\"" << Num(f.left) << "\" y=\"" << Num(f.top) << "\" width=\"" << Num(f.width)
    << "\" height=\"" << Num(f.height) << "\" fill=\"none\" stroke=\"#888\"/>\n";
  double xstep = TickStep(xt, f.x.max - f.x.min), ystep = TickStep(yt, f.y.max - f.y.min);
  for (double t : xt) Label(s, f.X(t), f.top + f.height + 18, TickLabel(t, xstep), "#333", "middle");
  for (double t : yt) Label(s, f.left - 6, f.Y(t) + 4, TickLabel(t, ystep), "#333", "end");
  Label(s, f.left + f.width / 2, f.top + f.height + 36, f.x.title, "#333", "middle");
  double cy = f.top + f.height / 2;
  s << "<text transform=\"translate(" << Num(16) << " " << Num(cy)
    << ") rotate(-90)\" text-anchor=\"middle\" "
    << "font-size=\"" << kFont << "\" fill=\"#333\">" << XmlEscape(f.y.title) << "</text>\n";
  if (f.y_right) {
    auto rt = NiceTicks(f.y_right->min, f.y_right->max, std::max(2, static_cast<int>(f.height / 40)),
                        f.y_right->integer_ticks);
    double rstep = TickStep(rt, f.y_right->max - f.y_right->min);
    for (double t : rt) Label(s, f.left + f.width + 6, f.YRight(t) + 4, TickLabel(t, rstep), "#777");
    s << "<text transform=\"translate(" << Num(figure_width - 14) << " " << Num(cy)
      << ") rotate(90)\" text-anchor=\"middle\" font-size=\"" << kFont << "\" fill=\"#777\">"
      << XmlEscape(f.y_right->title) << "</text>\n";
  }
}

// A line or step series as one path, broken where y is not a number (no data); a point with no
// neighbour is drawn as a dot, so a short burst of data stays visible.
void DrawPath(std::ostringstream& s, const Frame& f, const Series& series) {
  auto y = [&](double v) { return series.right_axis ? f.YRight(v) : f.Y(v); };
  std::ostringstream d, dots;
  const auto& pts = series.points;
  for (size_t i = 0; i < pts.size(); ++i) {
    if (std::isnan(pts[i].y)) continue;
    bool starts = i == 0 || std::isnan(pts[i - 1].y);
    bool ends = i + 1 == pts.size() || std::isnan(pts[i + 1].y);
    double px = f.X(pts[i].x), py = y(pts[i].y);
    if (starts && ends) {
      dots << "<circle cx=\"" << Num(px) << "\" cy=\"" << Num(py) << "\" r=\"" << series.width + 1
           << "\" fill=\"" << series.colour << "\"/>\n";
    } else if (starts) {
      d << "M" << Num(px) << " " << Num(py);
    } else if (series.style == SeriesStyle::kStep) {
      d << "H" << Num(px) << "V" << Num(py);
    } else {
      d << "L" << Num(px) << " " << Num(py);
    }
  }
  s << "<path d=\"" << d.str() << "\" fill=\"none\" stroke=\"" << series.colour << "\" stroke-width=\""
    << series.width << "\"" << (series.dashed ? " stroke-dasharray=\"5 3\"" : "")
    << " stroke-linejoin=\"round\"/>\n"
    << dots.str();
}

void DrawPoints(std::ostringstream& s, const Frame& f, const Series& series) {
  // Hollow markers first, so a filled one is never hidden under a hollow one.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& p : series.points) {
      if (p.filled != (pass == 1) || std::isnan(p.y)) continue;
      double cx = f.X(p.x), cy = series.right_axis ? f.YRight(p.y) : f.Y(p.y);
      if (p.emphasised)
        s << "<circle cx=\"" << Num(cx) << "\" cy=\"" << Num(cy) << "\" r=\"9\" fill=\"none\" stroke=\"#222\""
          << " stroke-width=\"1.5\"/>\n";
      s << "<circle cx=\"" << Num(cx) << "\" cy=\"" << Num(cy) << "\" r=\"" << (p.emphasised ? 5.5 : 4.5)
        << "\" fill=\"" << (p.filled ? series.colour : "white") << "\" stroke=\"" << series.colour
        << "\" stroke-width=\"1.5\">";
      if (!p.tooltip.empty()) s << "<title>" << XmlEscape(p.tooltip) << "</title>";
      s << "</circle>\n";
    }
  }
}

// Event markers: a dashed vertical line each, labels in the first lane where they overlap no
// earlier label (right of the line, or left of it near the right edge).
void DrawMarkers(std::ostringstream& s, const Frame& f, const std::vector<Marker>& markers) {
  std::vector<const Marker*> sorted;
  for (const auto& m : markers)
    if (m.x >= f.x.min && m.x <= f.x.max) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->x < b->x; });
  std::vector<std::vector<std::pair<double, double>>> lanes;
  for (const auto* m : sorted) {
    double x = f.X(m->x), w = TextWidth(m->label);
    bool left_of_line = x + 4 + w > f.left + f.width;
    double from = left_of_line ? x - 4 - w : x + 4, to = from + w;
    size_t lane = 0;
    for (; lane < lanes.size(); ++lane) {
      bool clear = std::none_of(lanes[lane].begin(), lanes[lane].end(),
                                [&](auto& used) { return from < used.second + 6 && to > used.first - 6; });
      if (clear) break;
    }
    if (lane == lanes.size()) lanes.emplace_back();
    lanes[lane].emplace_back(from, to);
    s << "<line x1=\"" << Num(x) << "\" x2=\"" << Num(x) << "\" y1=\"" << Num(f.top) << "\" y2=\""
      << Num(f.top + f.height) << "\" stroke=\"" << m->colour << "\" stroke-width=\"1.5\" "
      << "stroke-dasharray=\"4 3\"/>\n";
    Label(s, left_of_line ? x - 4 : x + 4, f.top + 13 + 14 * static_cast<double>(lane), m->label, m->colour,
          left_of_line ? "end" : "start", kFont, "bold");
  }
}

void DrawBands(std::ostringstream& s, const Frame& f, const std::vector<Band>& bands) {
  for (const auto& b : bands) {
    double from = f.X(std::max(b.from, f.x.min)), to = f.X(std::min(b.to, f.x.max));
    if (to <= from) continue;
    s << "<rect x=\"" << Num(from) << "\" y=\"" << Num(f.top) << "\" width=\"" << Num(to - from)
      << "\" height=\"" << Num(f.height) << "\" fill=\"" << b.colour << "\"/>\n";
  }
}

void DrawBandLabels(std::ostringstream& s, const Frame& f, const std::vector<Band>& bands) {
  for (const auto& b : bands) {
    double from = f.X(std::max(b.from, f.x.min)), to = f.X(std::min(b.to, f.x.max));
    if (to <= from || b.label.empty()) continue;
    bool fits = from + 4 + TextWidth(b.label) < f.left + f.width;
    Label(s, fits ? from + 4 : to - 4, f.top + f.height - 6, b.label, "#666", fits ? "start" : "end");
  }
}

std::vector<LegendEntry> LegendOf(const Figure& figure) {
  std::vector<LegendEntry> entries;
  for (const auto& panel : figure.panels) {
    for (const auto& series : panel.series) {
      if (series.label.empty()) continue;
      bool seen =
          std::any_of(entries.begin(), entries.end(), [&](auto& e) { return e.label == series.label; });
      if (!seen) entries.push_back({series.label, series.colour, series.style, true, series.dashed});
    }
  }
  entries.insert(entries.end(), figure.legend.begin(), figure.legend.end());
  return entries;
}

// Lays the legend out in rows from `x0`; returns the height it took.
double DrawLegend(std::ostringstream& s, const std::vector<LegendEntry>& entries, double x0, double y0,
                  double right_edge) {
  if (entries.empty()) return 0;
  double x = x0, y = y0;
  for (const auto& e : entries) {
    double w = 26 + TextWidth(e.label) + 18;
    if (x + w > right_edge && x > x0) {
      x = x0;
      y += kLegendRow;
    }
    if (e.box) {
      s << "<rect x=\"" << Num(x + 2) << "\" y=\"" << Num(y - 10) << "\" width=\"14\" height=\"11\" fill=\""
        << e.colour << "\" stroke=\"#bbb\"/>\n";
    } else if (e.style == SeriesStyle::kPoints) {
      s << "<circle cx=\"" << Num(x + 9) << "\" cy=\"" << Num(y - 4) << "\" r=\"4.5\" fill=\""
        << (e.filled ? e.colour : "white") << "\" stroke=\"" << e.colour << "\" stroke-width=\"1.5\"/>\n";
    } else {
      s << "<line x1=\"" << Num(x) << "\" x2=\"" << Num(x + 20) << "\" y1=\"" << Num(y - 4) << "\" y2=\""
        << Num(y - 4) << "\" stroke=\"" << e.colour << "\" stroke-width=\"2.5\""
        << (e.dashed ? " stroke-dasharray=\"5 3\"" : "") << "/>\n";
    }
    Label(s, x + 26, y, e.label, "#333");
    x += w;
  }
  return y - y0 + kLegendRow;
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target, bool integer) {
  if (!(hi > lo) || target < 1) return {lo};
  double raw = (hi - lo) / target;
  double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double residual = raw / magnitude;
  double step = (residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10) * magnitude;
  if (integer) step = std::max(1.0, std::round(step));
  std::vector<double> ticks;
  double first = std::ceil(lo / step - 1e-9);
  for (int i = 0; i < 1000; ++i) {
    double v = (first + i) * step;
    if (v > hi + step * 1e-9) break;
    ticks.push_back(v);
  }
  return ticks;
}

double NiceCeiling(double value, double floor) {
  double v = std::max(value, floor);
  if (!(v > 0)) return 1;
  double magnitude = std::pow(10, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= v * (1 - 1e-12)) return m * magnitude;
  return 10 * magnitude;
}

std::string RenderSvg(const Figure& figure) {
  bool right_axis = std::any_of(figure.panels.begin(), figure.panels.end(),
                                [](const Panel& p) { return p.y_right.has_value(); });
  double left = kLeft, right = right_axis ? kRightWithAxis : kRight;
  double plot_width = figure.width - left - right;
  std::ostringstream body;
  double y = 24;
  Label(body, left, y, figure.title, "#111", "start", 15, "bold");
  if (!figure.subtitle.empty()) {
    y += 18;
    Label(body, left, y, figure.subtitle, "#555", "start", 12);
  }
  y += 24;
  y += DrawLegend(body, LegendOf(figure), left, y, figure.width - right);
  for (size_t i = 0; i < figure.panels.size(); ++i) {
    const Panel& panel = figure.panels[i];
    if (!panel.title.empty()) {
      y += 8;
      Label(body, left, y, panel.title, "#222", "start", 12, "bold");
      y += 8;
    }
    Frame f{left, y, plot_width, panel.height, panel.x, panel.y, panel.y_right};
    std::string clip =
        "clip" + std::to_string(i) + "-" + std::to_string(std::hash<std::string>{}(figure.title) % 100000);
    body << "<clipPath id=\"" << clip << "\"><rect x=\"" << Num(f.left) << "\" y=\"" << Num(f.top)
         << "\" width=\"" << Num(f.width) << "\" height=\"" << Num(f.height) << "\"/></clipPath>\n";
    DrawBands(body, f, panel.bands);
    DrawAxes(body, f, figure.width);
    body << "<g clip-path=\"url(#" << clip << ")\">\n";
    for (const auto& series : panel.series) {
      if (series.style == SeriesStyle::kPoints)
        DrawPoints(body, f, series);
      else
        DrawPath(body, f, series);
    }
    body << "</g>\n";
    DrawBandLabels(body, f, panel.bands);
    DrawMarkers(body, f, panel.markers);
    y += panel.height + 50;
  }
  std::ostringstream s;
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << Num(figure.width)
    << "\" height=\"" << Num(y) << "\" viewBox=\"0 0 " << Num(figure.width) << " " << Num(y)
    << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"" << kFont << "\">\n<title>"
    << XmlEscape(figure.title) << "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << body.str() << "</svg>\n";
  return s.str();
}

}  // namespace ringfence::sim::chart
