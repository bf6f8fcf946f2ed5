// Micro-benchmarks of the hot paths under every import and every engine: reading CSV,
// parsing and checking cells, building a snapshot.
#include <benchmark/benchmark.h>

#include <sstream>

#include "core/schema.h"
#include "formats/csv.h"
#include "snapshot/snapshot.h"

namespace {

using namespace poles;

std::string participations_csv(int rows) {
  std::string s = "project_id,organisation_id,role,cost,aid\n";
  for (int i = 0; i < rows; ++i) {
    s += "p" + std::to_string(i / 50) + ",o" + std::to_string((i * 401) % 20000) +
         (i % 50 ? ",partner," : ",coordinator,") + std::to_string(100000 + i % 50) + ",40000\n";
  }
  return s;
}

void BM_CsvRead(benchmark::State& state) {
  const std::string csv = participations_csv(static_cast<int>(state.range(0)));
  int64_t records = 0;
  for (auto _ : state) {
    std::istringstream in(csv);
    formats::CsvReader reader;
    auto st = reader.read(in, "b.csv", [&](std::span<const std::string> f, int64_t) {
      benchmark::DoNotOptimize(f.data());
      ++records;
      return true;
    });
    if (!st.is_ok()) state.SkipWithError(st.to_string().c_str());
  }
  state.SetItemsProcessed(records);
  state.SetBytesProcessed(static_cast<int64_t>(csv.size()) * state.iterations());
}
BENCHMARK(BM_CsvRead)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_ParseCell(benchmark::State& state) {
  const auto* org = schema::find_entity("organisation");
  const auto& siren = org->fields[static_cast<size_t>(schema::field_index(*org, "siren"))];
  const auto& turnover = org->fields[static_cast<size_t>(schema::field_index(*org, "turnover"))];
  Value v;
  for (auto _ : state) {
    benchmark::DoNotOptimize(schema::parse_cell(siren, "732829320", v));
    benchmark::DoNotOptimize(schema::parse_cell(turnover, "1234567,89", v));
  }
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_ParseCell);

void BM_SnapshotBuild(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto* org = schema::find_entity("organisation");
  const auto* proj = schema::find_entity("project");
  const auto* part = schema::find_entity("participation");
  for (auto _ : state) {
    snapshot::Builder b;
    Row o(org->fields.size()), p(proj->fields.size()), r(part->fields.size());
    for (int i = 0; i < 20000; ++i) {
      o[0] = "o" + std::to_string(i);
      o[1] = std::string("Org");
      o[3] = std::string("company");
      b.add(*org, o);
      p[0] = "p" + std::to_string(i);
      p[1] = std::string("P");
      b.add(*proj, p);
    }
    for (int i = 0; i < n; ++i) {
      r[0] = "p" + std::to_string(i / 50 % 20000);
      r[1] = "o" + std::to_string((i * 401) % 20000);
      r[2] = std::string("partner");
      r[3] = 1000.0;
      b.add(*part, r);
    }
    auto s = std::move(b).build(1);
    if (!s) state.SkipWithError(s.error().to_string().c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(n) * state.iterations());
}
BENCHMARK(BM_SnapshotBuild)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
