// Small HTML and SVG building blocks for the reports: escaping, number formatting in French or
// English, and two charts drawn as inline SVG (so the HTML file and its PDF need nothing else).
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace poles::report {

std::string escape(std::string_view text);
// The text of the report's language: `fr` in French, `en` otherwise.
inline std::string tr(std::string_view lang, std::string_view fr, std::string_view en) {
  return std::string(lang == "fr" ? fr : en);
}
// A figure that may be missing, as the charts and number() take it (NaN is drawn as a dash).
template <class T>
double num(const std::optional<T>& v) {
  return v ? static_cast<double>(*v) : std::numeric_limits<double>::quiet_NaN();
}
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
