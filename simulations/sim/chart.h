// A small SVG plotting module for the simulator's reports: figures of stacked panels, each with
// titled axes (units in the title), "nice" ticks with gridlines, an optional right axis, line,
// step and point series, vertical event markers whose labels never overlap, shaded x ranges and
// one legend per figure. Output is self-contained SVG 1.1 (no script, no external font), so a
// browser, an image viewer or a CI artifact page shows it as drawn.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ringfence::sim::chart {

struct Axis {
  std::string title;  // with its unit, e.g. "error rate (%)"
  double min = 0, max = 1;
  bool integer_ticks = false;  // counts: no fractional ticks
};

enum class SeriesStyle { kLine, kStep, kPoints };

struct Point {
  double x = 0, y = 0;
  std::string tooltip;      // shown on hover (an SVG <title>); empty: none
  bool filled = true;       // kPoints: a filled or hollow marker
  bool emphasised = false;  // kPoints: drawn larger, with a ring
};

struct Series {
  std::string label;  // in the legend; empty: not listed
  std::string colour;
  SeriesStyle style = SeriesStyle::kLine;
  bool right_axis = false;
  bool dashed = false;
  double width = 1.5;
  std::vector<Point> points;  // in x order for lines and steps
};

struct Marker {
  double x = 0;
  std::string label;
  std::string colour;
};

struct Band {  // a shaded x range, e.g. the window a zoomed panel shows
  double from = 0, to = 0;
  std::string label;
  std::string colour = "#f0f0f0";
};

struct Panel {
  std::string title;  // above the panel; empty: none
  Axis x, y;
  std::optional<Axis> y_right;
  std::vector<Series> series;
  std::vector<Marker> markers;
  std::vector<Band> bands;
  double height = 220;  // of the plotting area, in px
};

struct LegendEntry {
  std::string label, colour;
  SeriesStyle style = SeriesStyle::kLine;
  bool filled = true, dashed = false;
  bool box = false;  // a shaded square, for a Band's colour
};

struct Figure {
  std::string title, subtitle;
  double width = 820;
  std::vector<Panel> panels;
  std::vector<LegendEntry> legend;  // besides the labelled series, which are listed first
};

// Ticks at 1, 2 or 5 times a power of ten covering [lo, hi], about `target` of them.
std::vector<double> NiceTicks(double lo, double hi, int target, bool integer = false);
// The smallest tick value at or above `value` (at least `floor`), for an axis' upper bound.
double NiceCeiling(double value, double floor);

std::string RenderSvg(const Figure& figure);

}  // namespace ringfence::sim::chart
