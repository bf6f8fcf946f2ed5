#include "formats/csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace poles::formats {
namespace {

struct Rec {
  std::vector<std::string> fields;
  int64_t line;
};

std::vector<Rec> read_all(const std::string& text, size_t chunk = 1 << 16, char* delim = nullptr) {
  std::istringstream in(text);
  CsvReadOptions opt;
  opt.chunk_size = chunk;
  CsvReader r(opt);
  std::vector<Rec> out;
  const Status s = r.read(in, "t.csv", [&](std::span<const std::string> f, int64_t line) {
    out.push_back({{f.begin(), f.end()}, line});
    return true;
  });
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  if (delim != nullptr) *delim = r.delimiter();
  return out;
}

TEST(Csv, PhysicalLinesWithBlankLinesCrlfAndEmbeddedNewlines) {
  const std::string text = "a,b\r\n\r\nc,\"d\ne\"\n\nf, g \n\"h\"\"\",i";
  for (size_t chunk : {1, 2, 3, 7, 65536}) {
    auto recs = read_all(text, chunk);
    ASSERT_EQ(recs.size(), 4u) << chunk;
    EXPECT_EQ(recs[0].line, 1);
    EXPECT_EQ(recs[1].line, 3);
    EXPECT_EQ(recs[1].fields[1], "d\ne");
    EXPECT_EQ(recs[2].line, 6);
    EXPECT_EQ(recs[2].fields[1], "g");  // unquoted spaces trimmed
    EXPECT_EQ(recs[3].line, 7);
    EXPECT_EQ(recs[3].fields[0], "h\"");
  }
}

TEST(Csv, DetectsSeparatorAndSkipsBom) {
  char d = 0;
  auto recs = read_all("\xEF\xBB\xBFid;montant\nx;\"1,5\"\n", 65536, &d);
  EXPECT_EQ(d, ';');
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields[0], "id");
  EXPECT_EQ(recs[1].fields[1], "1,5");
  EXPECT_EQ(detect_delimiter("a\tb\tc"), '\t');
  EXPECT_EQ(detect_delimiter("\"a;b\",c"), ',');
}

TEST(Csv, MalformedQuoteIsAnErrorWithItsLine) {
  std::istringstream in("id,name\nx,ok\ny,bad\"quote\n");
  CsvReader r;
  const Status s = r.read(in, "t.csv", [](std::span<const std::string>, int64_t) { return true; });
  ASSERT_FALSE(s.is_ok());
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].line, 3);
  EXPECT_EQ(s.field_errors()[0].format().substr(0, 25), "t.csv:3: value '': malfor");
}

TEST(Csv, QuotingOnWrite) {
  std::string out;
  append_csv_field(out, "plain");
  out += ",";
  append_csv_field(out, "a,b");
  out += ",";
  append_csv_field(out, "say \"hi\"");
  out += ",";
  append_csv_field(out, "two\nlines");
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"");
}

}  // namespace
}  // namespace poles::formats
