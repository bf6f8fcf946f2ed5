#include "http/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace poles::http {

std::string prometheus_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    if (ch == '\\') {
      out += "\\\\";
    } else if (ch == '"') {
      out += "\\\"";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out;
}

void Metrics::request(std::string_view route, std::string_view method, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{std::string(route), std::string(method), status}];
  Histogram& h = durations_[std::string(route)];
  const auto at = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds);
  if (at != kBuckets.end()) ++h.below[static_cast<size_t>(at - kBuckets.begin())];
  ++h.count;
  h.sum += seconds;
}

void Metrics::cache(bool hit) {
  std::lock_guard lock(mu_);
  ++(hit ? cache_hits_ : cache_misses_);
}

namespace {

std::string number(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 1e15)
    return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{}", v);
}

}  // namespace

std::string Metrics::render(const std::vector<Sample>& extra) const {
  std::string out;
  auto head = [&out](std::string_view name, std::string_view help, std::string_view type) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  {
    std::lock_guard lock(mu_);
    head("poles_http_requests_total", "Requests answered, by route template, method and status",
         "counter");
    for (const auto& [key, n] : requests_) {
      const auto& [route, method, status] = key;
      out +=
          fmt::format("poles_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                      prometheus_label(route), prometheus_label(method), status, n);
    }
    head("poles_http_request_duration_seconds",
         "Seconds from a request's head read to its answer written, by route template",
         "histogram");
    for (const auto& [route, h] : durations_) {
      const std::string r = prometheus_label(route);
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.below[i];
        out +=
            fmt::format("poles_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                        r, number(kBuckets[i]), cumulative);
      }
      out +=
          fmt::format("poles_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                      r, h.count);
      out += fmt::format("poles_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r,
                         number(h.sum));
      out +=
          fmt::format("poles_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r, h.count);
    }
    head("poles_cache_answers_total",
         "Answers of cached routes, from the cache (hit) or computed (miss)", "counter");
    out += fmt::format("poles_cache_answers_total{{result=\"hit\"}} {}\n", cache_hits_);
    out += fmt::format("poles_cache_answers_total{{result=\"miss\"}} {}\n", cache_misses_);
  }
  std::string last;
  for (const Sample& s : extra) {
    if (s.name != last) {
      head(s.name, s.help, s.type);
      last = s.name;
    }
    out += s.name;
    if (!s.labels.empty()) {
      out += '{';
      for (size_t i = 0; i < s.labels.size(); ++i)
        out += fmt::format("{}{}=\"{}\"", i ? "," : "", s.labels[i].first,
                           prometheus_label(s.labels[i].second));
      out += '}';
    }
    out += ' ' + number(s.value) + '\n';
  }
  return out;
}

}  // namespace poles::http
