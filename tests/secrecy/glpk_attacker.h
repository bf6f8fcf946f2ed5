// The independent attacker of the secrecy tests: tests/secrecy/attack.py, which builds the
// attacker's linear programs from the published tables alone and solves them with GLPK's glpsol
// (not Clp, not the code under test).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "secrecy/linked.h"
#include "test_support.h"

namespace poles::testing {

// A published table: (rows + 1) x (cols + 1) cells with the margins last; nullopt = masked.
using PublishedGrid = std::vector<std::vector<std::optional<double>>>;

struct GlpkInterval {
  int table = 0, row = 0, col = 0;
  double low = 0, up = 0;  // ±infinity when unbounded
};

// A grid of linked tables as published: its masked cells null.
inline PublishedGrid published(const secrecy::LinkedTables& lt, const secrecy::Grid& g) {
  PublishedGrid out(static_cast<size_t>(g.rows + 1));
  for (int r = 0; r <= g.rows; ++r) {
    for (int c = 0; c <= g.cols; ++c) {
      const auto& cell = lt.cells[static_cast<size_t>(g.at(r, c))];
      out[static_cast<size_t>(r)].push_back(cell.masked() ? std::nullopt
                                                          : std::optional<double>(cell.value));
    }
  }
  return out;
}

inline bool glpk_available() { return run_command("command -v glpsol").status == 0; }

// Every masked cell's interval. `links`: (whole, part) pairs of tables (a sub-population).
inline std::vector<GlpkInterval> glpk_attack(const std::vector<PublishedGrid>& tables,
                                             const std::vector<std::pair<int, int>>& links,
                                             bool nonnegative) {
  nlohmann::json spec{{"tables", nlohmann::json::array()},
                      {"links", nlohmann::json::array()},
                      {"nonnegative", nonnegative}};
  for (const auto& t : tables) {
    nlohmann::json grid = nlohmann::json::array();
    for (const auto& line : t) {
      nlohmann::json row = nlohmann::json::array();
      for (const auto& v : line) row.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
      grid.push_back(row);
    }
    spec["tables"].push_back(grid);
  }
  for (const auto& [w, p] : links) spec["links"].push_back({w, p});
  TempDir dir;
  write_file(dir / "tables.json", spec.dump());
  const auto out =
      run_command("/usr/bin/python3 " + (source_dir() / "tests/secrecy/attack.py").string() + " " +
                  (dir / "tables.json").string());
  EXPECT_EQ(out.status, 0) << out.output;
  std::vector<GlpkInterval> intervals;
  if (out.status != 0) return intervals;
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& r : nlohmann::json::parse(out.output)) {
    intervals.push_back({r[0].get<int>(), r[1].get<int>(), r[2].get<int>(),
                         r[3].is_null() ? -inf : r[3].get<double>(),
                         r[4].is_null() ? inf : r[4].get<double>()});
  }
  return intervals;
}

}  // namespace poles::testing
