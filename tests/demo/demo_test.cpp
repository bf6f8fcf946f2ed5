#include <gtest/gtest.h>

#include <sstream>

#include "demo/load.h"
#include "import/exporter.h"
#include "test_support.h"

namespace poles::demo {
namespace {

std::unique_ptr<store::Store> open(const std::filesystem::path& p) {
  auto s = store::Store::open(p.string());
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return std::move(s).value();
}

// Every entity exported as CSV, concatenated.
std::string export_all(store::Store& s) {
  std::ostringstream out;
  for (const auto& e : schema::entities()) {
    out << "## " << e.name << "\n";
    EXPECT_TRUE(import::export_stream(s, e, import::ExportFormat::kCsv, out).has_value());
  }
  return out.str();
}

TEST(Demo, SameSeedGivesByteIdenticalExports) {
  testing::TempDir dir;
  auto a = open(dir / "a.db"), b = open(dir / "b.db"), c = open(dir / "c.db");
  Options o;
  o.scale = Scale::kSmall;
  o.seed = 7;
  auto ra = generate_into(*a, o);
  ASSERT_TRUE(ra.has_value()) << ra.error().to_string();
  ASSERT_TRUE(generate_into(*b, o).has_value());
  o.seed = 8;
  ASSERT_TRUE(generate_into(*c, o).has_value());
  const std::string ea = export_all(*a);
  EXPECT_TRUE(ea == export_all(*b)) << "same seed, different data";
  EXPECT_FALSE(ea == export_all(*c)) << "different seeds, same data";
  // Every entity gets rows, and the seed is recorded with the data. The referentials of
  // programmes and funders come with the store (migration 0017); national figures serve a store
  // of one cluster (the demo holds them all: its peers are there); the list of communes is
  // INSEE's, loaded from its file; identifiers are what imports and merges record; the filière
  // committees come with the store (migration 0022).
  for (const auto& e : schema::entities()) {
    if (e.name == "programme" || e.name == "funder" || e.name == "national_figure" ||
        e.name == "commune" || e.name == "organisation_identifier" || e.name == "filiere")
      continue;
    EXPECT_GT(ra->entities[std::string(e.name)].rows, 0) << e.name;
  }
  auto seed = a->get(*schema::find_entity("truth"), {std::string("seed")});
  ASSERT_TRUE(seed.has_value() && seed->has_value());
  EXPECT_DOUBLE_EQ(std::get<double>((**seed)[1]), 7);
}

TEST(Demo, RefusesAStoreThatHoldsData) {
  testing::TempDir dir;
  auto s = open(dir / "a.db");
  Options o;
  o.scale = Scale::kSmall;
  ASSERT_TRUE(generate_into(*s, o).has_value());
  const uint64_t version = *s->data_version();
  auto again = generate_into(*s, o);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message(),
            "the store already holds 12 clusters: the demo needs an empty store");
  EXPECT_EQ(*s->data_version(), version);
}

// Every name the demo writes says it is synthetic.
TEST(Demo, EveryNameIsMarkedSynthetic) {
  class Names final : public Sink {
   public:
    void add(const schema::Entity& e, Row row) override {
      if (e.name == "territory") return;  // real INSEE region and department names, not invented
      for (size_t i = 0; i < row.size(); ++i) {
        const auto name = e.fields[i].name;
        if (name != "name" && name != "title") continue;
        const auto* text = std::get_if<std::string>(&row[i]);
        if (text != nullptr && text->find("(synthétique)") == std::string::npos)
          bad.push_back(*text);
        ++checked;
      }
    }
    std::vector<std::string> bad;
    int checked = 0;
  } names;
  Options o;
  o.scale = Scale::kSmall;
  generate(o, names);
  EXPECT_GT(names.checked, 1000);
  EXPECT_TRUE(names.bad.empty()) << names.bad.front();
}

}  // namespace
}  // namespace poles::demo
