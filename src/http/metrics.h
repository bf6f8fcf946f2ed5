// The server's counters, written in the Prometheus text format (version 0.0.4) by GET /metrics:
// requests by route template, method and status, their durations as a histogram, answers of
// the cache, and what the server reads at scrape time (open connections, jobs, snapshot loads,
// the store's data version). Labels are route templates, never paths or queries: a client
// cannot grow the series by asking for new URLs, and no identifier or firm figure is exposed.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace poles::http {

class Metrics {
 public:
  // Upper bounds of the duration histogram, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10,  30};

  // One answered request. Thread-safe.
  void request(std::string_view route, std::string_view method, int status, double seconds);
  // A cached route's answer: from the cache or computed. Thread-safe.
  void cache(bool hit);

  // One sample of a value read at scrape time.
  struct Sample {
    std::string name;  // poles_…
    std::string help;
    std::string type;  // gauge or counter
    std::vector<std::pair<std::string, std::string>> labels;
    double value = 0;
  };
  // The text exposition: the counters above, then `extra` (grouped by name, in order).
  std::string render(const std::vector<Sample>& extra) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> below{};  // cumulative counts are made when rendering
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;  // by route
  uint64_t cache_hits_ = 0;
  uint64_t cache_misses_ = 0;
};

// A label value escaped for the text format (\\, \", \n).
std::string prometheus_label(std::string_view value);

}  // namespace poles::http
