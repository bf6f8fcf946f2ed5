#include "report/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/markup.h"

namespace poles::report {

std::string escape(std::string_view text) { return markup_escape(text); }

std::string number(double v, int decimals, std::string_view lang) {
  if (std::isnan(v) || std::isinf(v)) return "—";
  const std::string raw = fmt::format("{:.{}f}", std::fabs(v), decimals);
  const auto dot = raw.find('.');
  const std::string whole = raw.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : raw.substr(dot + 1);
  const std::string group = lang == "fr" ? "\u202f" : ",";
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += group;
    grouped += whole[i];
  }
  std::string out = (v < 0 && std::stod(raw) != 0 ? "−" : "") + grouped;
  if (!frac.empty()) out += (lang == "fr" ? "," : ".") + frac;
  return out;
}

namespace {

// "Nice" tick step for a range.
double tick_step(double range, int target) {
  if (!(range > 0)) return 1;
  const double raw = range / target;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * mag >= raw) return m * mag;
  }
  return 10 * mag;
}

std::string compact(double v, std::string_view lang) {
  const double a = std::fabs(v);
  if (a >= 1e6) return number(v / 1e6, a >= 1e7 ? 0 : 1, lang) + (lang == "fr" ? " M" : "M");
  if (a >= 1e3) return number(v / 1e3, a >= 1e4 ? 0 : 1, lang) + (lang == "fr" ? " k" : "k");
  return number(v, a < 10 && v != std::floor(v) ? 2 : 0, lang);
}

}  // namespace

std::string line_chart(const std::string& title, const std::vector<LineSeries>& series,
                       std::string_view lang, int width, int height) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      x0 = std::min(x0, p.x);
      x1 = std::max(x1, p.x);
      y0 = std::min(y0, p.band ? p.low : p.y);
      y1 = std::max(y1, p.band ? p.high : p.y);
    }
  }
  if (!(x1 >= x0))
    return fmt::format("<figure class=\"chart\"><figcaption>{}</figcaption></figure>",
                       escape(title));
  if (x1 == x0) x1 = x0 + 1;
  const double step = tick_step(y1 - y0 > 0 ? y1 - y0 : std::fabs(y1) + 1, 5);
  y0 = std::floor(y0 / step) * step;
  y1 = std::ceil(y1 / step) * step;
  if (y1 == y0) y1 = y0 + step;
  const double left = 56, right = 12, top = 12, bottom = 46;
  const double w = width - left - right, h = height - top - bottom;
  auto X = [&](double x) { return left + (x - x0) / (x1 - x0) * w; };
  auto Y = [&](double y) { return top + (1 - (y - y0) / (y1 - y0)) * h; };
  std::string svg = fmt::format(
      "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 "
      "0 {} {}\" width=\"{}\" height=\"{}\">"
      "<title>{}</title>",
      width, height, width, height, escape(title));
  for (double y = y0; y <= y1 + step / 2; y += step) {
    svg += fmt::format(
        "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>", left,
        left + w, Y(y), Y(y));
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" text-anchor=\"end\">{}</text>", left - 4,
        Y(y) + 3, escape(compact(y, lang)));
  }
  const double xstep = std::max(1.0, tick_step(x1 - x0, 8));
  for (double x = std::ceil(x0 / xstep) * xstep; x <= x1; x += xstep) {
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\" text-anchor=\"middle\">{}</text>", X(x),
        top + h + 14, fmt::format("{:.0f}", x));
  }
  svg +=
      fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\"/>",
                  left, left + w, top + h, top + h);
  for (const auto& s : series) {
    std::string upper, lower;
    for (const auto& p : s.points) {
      if (!p.band) continue;
      upper += fmt::format("{}{:.1f},{:.1f}", upper.empty() ? "" : " ", X(p.x), Y(p.high));
      lower.insert(0, fmt::format("{:.1f},{:.1f} ", X(p.x), Y(p.low)));
    }
    if (!upper.empty())
      svg += fmt::format(
          "<polygon points=\"{} {}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>", upper,
          lower, s.color);
    std::string line;
    for (const auto& p : s.points)
      line += fmt::format("{}{:.1f},{:.1f}", line.empty() ? "" : " ", X(p.x), Y(p.y));
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>",
                       line, s.color, s.dashed ? " stroke-dasharray=\"5 4\"" : "");
  }
  double lx = left;
  for (const auto& s : series) {
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"14\" height=\"4\" fill=\"{}\"/>",
                       lx, height - 12.0, s.color);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\">{}</text>", lx + 18,
                       height - 7.0, escape(s.name));
    lx += 30 + 6.5 * static_cast<double>(s.name.size());
  }
  svg += fmt::format("</svg><figcaption>{}</figcaption></figure>", escape(title));
  return svg;
}

std::string bar_chart(const std::string& title, const std::vector<Bar>& bars, std::string_view lang,
                      double reference, bool draw_reference, int width) {
  const double row = 18, top = 8, left = 170, right = 60;
  const double height = top + row * static_cast<double>(bars.size()) + 24;
  double lo = 0, hi = draw_reference ? reference : 0;
  for (const auto& b : bars) {
    if (std::isnan(b.value)) continue;
    lo = std::min(lo, b.value);
    hi = std::max(hi, b.value);
  }
  if (hi == lo) hi = lo + 1;
  const double w = width - left - right;
  auto X = [&](double v) { return left + (v - lo) / (hi - lo) * w; };
  std::string svg = fmt::format(
      "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 "
      "0 {} {:.0f}\" width=\"{}\" height=\"{:.0f}\">"
      "<title>{}</title>",
      width, height, width, height, escape(title));
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = top + row * static_cast<double>(i);
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"11\" text-anchor=\"end\">{}</text>", left - 6,
        y + 12, escape(b.label));
    if (std::isnan(b.value)) continue;
    const double a = X(std::min(0.0, b.value)), z = X(std::max(0.0, b.value));
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>", a,
        y + 2, std::max(0.5, z - a), row - 5, b.color.empty() ? "#000091" : b.color);
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"10\">{}</text>", z + 4, y + 12,
                       escape(number(b.value, 2, lang)));
  }
  if (draw_reference) {
    svg += fmt::format(
        "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#e1000f\" "
        "stroke-dasharray=\"4 3\"/>",
        X(reference), X(reference), top, height - 20);
  }
  svg += fmt::format("</svg><figcaption>{}</figcaption></figure>", escape(title));
  return svg;
}

}  // namespace poles::report
