// Matching organisations to SIREN at the scale (bench/resolve.sh): the legal units of a
// labelled set written by examples/make_siren_labelled_set.py are loaded into a SQLite store,
// then the time to read them, build the index and match every organisation is measured, and
// precision and recall are computed against the set's truth.
// Usage: resolve_bench DIR   (DIR holds StockUniteLegale.csv, StockEtablissement.csv,
// organisation.csv and truth.json)
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "formats/csv.h"
#include "import/resolve.h"
#include "store/store.h"

using namespace poles;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: resolve_bench DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  const auto db = dir / "bench.db";
  std::filesystem::remove(db);
  auto store = store::Store::open(db.string());
  if (!store) return std::cerr << store.error().to_string() << "\n", 1;
  using clock = std::chrono::steady_clock;
  const auto seconds = [](clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
  };
  const auto t0 = clock::now();
  auto stock = import::load_sirene_stock(**store, (dir / "StockUniteLegale.csv").string(),
                                         (dir / "StockEtablissement.csv").string(), false);
  if (!stock) return std::cerr << stock.error().to_string() << "\n", 1;
  const auto t1 = clock::now();
  std::vector<import::MatchQuery> queries;
  {
    std::ifstream in(dir / "organisation.csv");
    formats::CsvReader reader;
    bool header = true;
    auto s = reader.read(in, "organisation.csv", [&](std::span<const std::string> f, int64_t) {
      if (header) return !(header = false);
      import::MatchQuery q{f[0], f[1], "", f[3], f[4], f[5].empty() ? 0 : std::stoi(f[5])};
      queries.push_back(std::move(q));
      return true;
    });
    if (!s.is_ok()) return std::cerr << s.to_string() << "\n", 1;
  }
  const auto t2 = clock::now();
  auto units = import::stored_units(**store);
  if (!units) return std::cerr << units.error().to_string() << "\n", 1;
  const auto t3 = clock::now();
  const import::SireneIndex index(std::move(*units));
  const auto t4 = clock::now();
  std::vector<import::MatchOutcome> out;
  out.reserve(queries.size());
  for (const auto& q : queries) out.push_back(index.match(q, {}));
  const auto t5 = clock::now();
  std::ifstream tin(dir / "truth.json");
  const auto truth = nlohmann::json::parse(tin);
  int64_t right = 0, wrong = 0, positives = 0, review = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto& t = truth[queries[i].id];
    positives += !t.is_null();
    review += out[i].status == import::MatchStatus::kReview;
    if (out[i].status != import::MatchStatus::kAccepted) continue;
    const bool ok =
        !t.is_null() && index.unit(out[i].candidates[0].unit).siren == t.get<std::string>();
    ok ? ++right : ++wrong;
  }
  fmt::print(
      "| step | seconds |\n|---|---:|\n"
      "| load {} legal units from the stock files into SQLite | {:.2f} |\n"
      "| read them back | {:.2f} |\n| build the index | {:.2f} |\n"
      "| match {} organisations | {:.2f} |\n| **read, index and match** | **{:.2f}** |\n\n"
      "Precision {:.4f}, recall {:.4f} ({} accepted automatically, {} of them wrong; {} to "
      "review; {} of the {} organisations are in SIRENE).\n",
      stock->stored, seconds(t0, t1), seconds(t2, t3), seconds(t3, t4), queries.size(),
      seconds(t4, t5), seconds(t2, t5),
      right + wrong == 0 ? 0.0 : double(right) / double(right + wrong),
      positives == 0 ? 0.0 : double(right) / double(positives), right + wrong, wrong, review,
      positives, queries.size());
  return 0;
}
