// Small HTML and SVG building blocks for the reports: escaping, number formatting in French or
// English, and two charts drawn as inline SVG (so the HTML file and its PDF need nothing else).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace poles::report {

std::string escape(std::string_view text);
// 1234567.8 -> "1 234 568" (fr) or "1,234,568" (en) with `decimals` digits; "—" for NaN.
std::string number(double v, int decimals, std::string_view lang);

struct LinePoint {
  double x = 0, y = 0;
  double low = 0, high = 0;  // band (drawn when band is true)
  bool band = false;
};
struct LineSeries {
  std::string name, color;
  std::vector<LinePoint> points;
  bool dashed = false;
};
// A line chart with optional shaded bands, axes with ticks and a legend. `title` is the SVG's
// accessible name (<title>) and its caption.
std::string line_chart(const std::string& title, const std::vector<LineSeries>& series,
                       std::string_view lang, int width = 640, int height = 260);

struct Bar {
  std::string label;
  double value = 0;
  std::string color;  // empty: the default blue
};
// Horizontal bars, with an optional reference line (e.g. LQ = 1).
std::string bar_chart(const std::string& title, const std::vector<Bar>& bars, std::string_view lang,
                      double reference = 0, bool draw_reference = false, int width = 640);

}  // namespace poles::report
