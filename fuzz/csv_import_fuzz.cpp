// Fuzz target: the whole CSV import path (reader, header mapping, cell parsing, row checks,
// references, lifecycle) on arbitrary bytes. The first input byte picks the entity; the rest is
// the file. Imports are dry runs against one in-memory store seeded once with a few clusters,
// organisations and projects, so references can resolve and the store never grows.
// Invariants checked beyond "no crash, no leak, no UB": a failed import carries at least one
// error, every error names the file, and a successful one counts exactly its rows.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "core/schema.h"
#include "import/importer.h"
#include "store/store.h"

namespace {

using namespace poles;

store::Store* g_store = nullptr;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "invariant violated: %s\n", what);
    std::abort();
  }
}

void seed(store::Store& s, const char* entity, const char* csv) {
  std::istringstream in(csv);
  auto r = import::import_csv(s, *schema::find_entity(entity), in, "seed.csv", {});
  if (!r) {
    std::fprintf(stderr, "seed %s failed: %s\n", entity, r.error().to_string().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto opened = store::Store::open(":memory:");
  if (!opened) {
    std::fprintf(stderr, "cannot open store: %s\n", opened.error().to_string().c_str());
    std::abort();
  }
  g_store = opened->release();  // lives for the whole process
  seed(*g_store, "cluster",
       "id,name,region,scale\naero,Aerospace Valley,76,national\nmina,Minalogic,84,regional\n");
  seed(*g_store, "organisation",
       "id,name,kind,siren,commune,headcount,turnover\no1,Un,company,732829320,31555,12,1500000\n"
       "o2,Deux,research,,75056,,\n");
  seed(*g_store, "project",
       "id,acronym,programme,status,total_cost,public_aid,trl_start,trl_target\n"
       "p1,ALPHA,FUI,funded,1000000,400000,3,6\np2,BETA,ANR,labelled,500000,250000,2,4\n");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& entities = schema::entities();
  const schema::Entity& e = entities[data[0] % entities.size()];
  std::istringstream in(std::string(reinterpret_cast<const char*>(data + 1), size - 1));
  import::ImportOptions options;
  options.dry_run = true;
  options.max_errors = 20;
  auto r = import::import_csv(*g_store, e, in, "fuzz.csv", options);
  if (r) {
    check(r->counts.rows == r->counts.inserted + r->counts.updated + r->counts.unchanged,
          "counts add up");
  } else if (r.error().code() == ErrorCode::kInvalidArgument) {
    check(!r.error().field_errors().empty(), "bad input lists its errors");
    for (const auto& fe : r.error().field_errors())
      check(fe.format().rfind("fuzz.csv", 0) == 0, "error names the file");
  }
  return 0;
}
