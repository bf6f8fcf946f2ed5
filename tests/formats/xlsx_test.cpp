// The XLSX reader (formats/xlsx.h): a workbook written by libxlsxwriter read back cell by cell,
// Excel's date systems, and hostile archives built part by part with libzip (a zip bomb, a
// DOCTYPE, entity expansion, an entry escaping the archive, too many entries, a cell beyond XFD).
#include "formats/xlsx.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <map>
#include <string>
#include <vector>

#include "test_support.h"

namespace poles::formats {
namespace {

using testing::TempDir;

using Rows = std::map<int64_t, std::vector<std::string>>;

Rows read_rows(const XlsxBook& book, std::string_view sheet = "") {
  Rows rows;
  const Status st = book.read_sheet(sheet, [&](std::span<const std::string> cells, int64_t row) {
    rows[row] = {cells.begin(), cells.end()};
    return true;
  });
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return rows;
}

// A workbook made part by part (the parts a reader needs; Excel adds more).
struct Parts {
  std::map<std::string, std::string> files;
  Parts(const std::string& sheet_xml, const std::string& shared = "",
        const std::string& styles = "", const std::string& workbook_pr = "") {
    files["_rels/.rels"] =
        R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
    files["xl/workbook.xml"] =
        R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)" +
        workbook_pr +
        R"(<sheets><sheet name="Données" sheetId="1" r:id="rId1"/></sheets></workbook>)";
    files["xl/_rels/workbook.xml.rels"] =
        R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>)";
    files["xl/worksheets/sheet1.xml"] =
        R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
        sheet_xml + "</sheetData></worksheet>";
    if (!shared.empty())
      files["xl/sharedStrings.xml"] =
          R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
          shared + "</sst>";
    if (!styles.empty())
      files["xl/styles.xml"] =
          R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
          styles + "</styleSheet>";
  }
  std::string write(const TempDir& dir, const std::string& name = "book.xlsx") const {
    const std::string path = (dir / name).string();
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(z, nullptr);
    for (const auto& [entry, content] : files) {
      zip_source_t* src = zip_source_buffer(z, content.data(), content.size(), 0);
      EXPECT_GE(zip_file_add(z, entry.c_str(), src, ZIP_FL_ENC_UTF_8), 0) << entry;
    }
    EXPECT_EQ(zip_close(z), 0);
    return path;
  }
};

std::string first_error(const Result<XlsxBook>& book) {
  if (book.has_value()) return "(opened)";
  return book.error().field_errors().empty() ? book.error().to_string()
                                             : book.error().field_errors()[0].rule;
}

TEST(Xlsx, ReadsAWorkbookWrittenByLibxlsxwriter) {
  TempDir dir;
  const std::string path = (dir / "w.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* notes = workbook_add_worksheet(wb, "Notes");
  worksheet_write_string(notes, 0, 0, "ignore me", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Membres");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  worksheet_write_string(ws, 0, 0, "nom", nullptr);
  worksheet_write_string(ws, 0, 1, "effectif", nullptr);
  worksheet_write_string(ws, 0, 3, "adhésion", nullptr);  // column C left empty
  worksheet_write_string(ws, 1, 0, "Éole Systèmes", nullptr);
  worksheet_write_number(ws, 1, 1, 1250, nullptr);
  lxw_datetime d = {2024, 3, 1, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 3, &d, date);
  worksheet_write_string(ws, 3, 0, "Zürich AG", nullptr);  // row 3 left empty
  worksheet_write_number(ws, 3, 1, 0.043, nullptr);
  worksheet_write_boolean(ws, 3, 2, 1, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto book = XlsxBook::open_file(path);
  ASSERT_TRUE(book.has_value()) << book.error().to_string();
  EXPECT_EQ(book->sheet_names(), (std::vector<std::string>{"Notes", "Membres"}));
  const Rows rows = read_rows(*book, "membres");  // names match without case
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows.at(1), (std::vector<std::string>{"nom", "effectif", "", "adhésion"}));
  EXPECT_EQ(rows.at(2), (std::vector<std::string>{"Éole Systèmes", "1250", "", "2024-03-01"}));
  EXPECT_EQ(rows.at(4), (std::vector<std::string>{"Zürich AG", "0.043", "1"}));
  EXPECT_EQ(read_rows(*book).at(1), std::vector<std::string>{"ignore me"});  // the first sheet
  const Status missing = book->read_sheet("Projets", [](auto, auto) { return true; });
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.field_errors()[0].rule,
            "the workbook has no sheet 'Projets' (sheets: 'Notes', 'Membres')");
}

TEST(Xlsx, DatesInBothSystemsAndExcelsPhantomLeapDay) {
  TempDir dir;
  const std::string styles =
      R"(<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-40C]d\ mmmm\ yyyy;@"/><numFmt numFmtId="165" formatCode="0.00&quot;d&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>)";
  const std::string sheet =
      R"(<row r="1"><c r="A1" s="1"><v>45292</v></c><c r="B1" s="1"><v>59</v></c><c r="C1" s="1"><v>60</v></c><c r="D1" s="1"><v>61</v></c><c r="E1" s="2"><v>45292.5</v></c><c r="F1" s="3"><v>12.5</v></c><c r="G1"><v>45292</v></c></row>)";
  auto book = XlsxBook::open_file(Parts(sheet, "", styles).write(dir));
  ASSERT_TRUE(book.has_value()) << book.error().to_string();
  // 45292 = 2024-01-01 (1904 system: 45292 − 1462 = 43830); 59 = 1900-02-28; 60 = the 29 February
  // 1900 Excel counts (left a number); 61 = 1900-03-01; a format with quoted text ("d") is not a
  // date; no style: a number.
  EXPECT_EQ(read_rows(*book).at(1),
            (std::vector<std::string>{"2024-01-01", "1900-02-28", "60", "1900-03-01",
                                      "2024-01-01T12:00:00", "12.5", "45292"}));
  auto book1904 = XlsxBook::open_file(
      Parts(R"(<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43830</v></c></row>)", "",
            styles, R"(<workbookPr date1904="1"/>)")
          .write(dir, "b1904.xlsx"));
  ASSERT_TRUE(book1904.has_value());
  EXPECT_EQ(read_rows(*book1904).at(1), (std::vector<std::string>{"1904-01-01", "2024-01-01"}));
}

TEST(Xlsx, SharedRichAndInlineStringsAndCellsWithoutReferences) {
  TempDir dir;
  const std::string shared =
      R"(<si><t>simple</t></si><si><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch &amp; gras</t></r><rPh><t>PHONETIC</t></rPh></si>)";
  const std::string sheet =
      R"(<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>en ligne</t></is></c><c t="str"><f>A2</f><v>formule</v></c><c t="e"><v>#N/A</v></c></row><row><c t="s"><v>0</v></c></row>)";
  auto book = XlsxBook::open_file(Parts(sheet, shared).write(dir));
  ASSERT_TRUE(book.has_value()) << book.error().to_string();
  const Rows rows = read_rows(*book);
  EXPECT_EQ(rows.at(2),
            (std::vector<std::string>{"rich & gras", "", "en ligne", "formule", "#N/A"}));
  EXPECT_EQ(rows.at(3), std::vector<std::string>{"simple"});  // a row without r follows row 2
  auto bad = XlsxBook::open_file(
      Parts(R"(<row r="1"><c r="A1" t="s"><v>7</v></c></row>)", shared).write(dir, "bad.xlsx"));
  ASSERT_TRUE(bad.has_value());
  const Status st = bad->read_sheet("", [](auto, auto) { return true; });
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.field_errors()[0].rule, "Données!A1: shared string index '7' does not exist");
}

TEST(Xlsx, RowsGoingBackLongStringsAndTooManyCellsOrSheetsAreRefused) {
  TempDir dir;
  const auto rule = [](const Result<XlsxBook>& book) {
    if (!book.has_value()) return first_error(book);
    const Status st = book->read_sheet("", [](auto, auto) { return true; });
    return st.is_ok() ? std::string("(read)") : st.field_errors()[0].rule;
  };
  // Rows out of order (one bad row would refuse its twin).
  EXPECT_EQ(
      rule(XlsxBook::open_file(
          Parts(R"(<row r="5"><c r="A5"><v>1</v></c></row><row r="3"><c r="A3"><v>2</v></c></row>)")
              .write(dir, "back.xlsx"))),
      "sheet 'Données': row 3 comes after row 5");
  EXPECT_EQ(rule(XlsxBook::open_file(
                Parts(R"(<row r="9999999999999"><c><v>1</v></c></row>)").write(dir, "far.xlsx"))),
            "sheet 'Données': row number '9999999999999' is not between 1 and 1048576");
  // A shared string longer than a cell may be, which every cell referring to it would copy.
  const std::string huge(40'000 * 4, 'x');
  EXPECT_EQ(rule(XlsxBook::open_file(Parts(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)",
                                           "<si><t>" + huge + "</t></si>")
                                         .write(dir, "long.xlsx"))),
            "shared string 0 is longer than a cell may be (32,767 characters)");
  // One cell at XFD per row is a row of 16,384 cells for whoever keeps it.
  std::string wide;
  for (int r = 1; r <= 10; ++r)
    wide += fmt::format(R"(<row r="{}"><c r="XFD{}"><v>1</v></c></row>)", r, r);
  XlsxLimits limits;
  limits.max_cells = 100'000;
  EXPECT_EQ(rule(XlsxBook::open_file(Parts(wide).write(dir, "wide.xlsx"), limits)),
            "sheet 'Données' holds more than 100000 cells (counting the empty ones inside rows)");
  limits = {};
  limits.max_sheets = 1;
  Parts two(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
  two.files["xl/workbook.xml"] =
      R"(<?xml version="1.0"?><workbook><sheets><sheet name="A" id="rId1"/><sheet name="B" id="rId1"/></sheets></workbook>)";
  EXPECT_EQ(first_error(XlsxBook::open_file(two.write(dir, "two.xlsx"), limits)),
            "the workbook has more than 1 sheets");
}

TEST(Xlsx, AZipBombIsRefusedBeforeItIsInflated) {
  TempDir dir;
  Parts parts(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
  parts.files["xl/media/zeros.bin"] = std::string(64 << 20, '\0');  // 64 MiB deflate to ~64 KiB
  const std::string why = first_error(XlsxBook::open_file(parts.write(dir)));
  EXPECT_TRUE(why.starts_with("entry 'xl/media/zeros.bin' inflates ")) << why;
  EXPECT_TRUE(why.ends_with(" times: refused as a zip bomb")) << why;
}

TEST(Xlsx, ADoctypeAndEntityExpansionAreRefused) {
  TempDir dir;
  Parts laughs("");
  laughs.files["xl/worksheets/sheet1.xml"] =
      R"(<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>)";
  auto book = XlsxBook::open_file(laughs.write(dir));
  ASSERT_TRUE(book.has_value());  // the sheet is read only when asked for
  const Status st = book->read_sheet("", [](auto, auto) { return true; });
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.field_errors()[0].rule, "'xl/worksheets/sheet1.xml' declares a DOCTYPE: refused");

  Parts xxe(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
  xxe.files["xl/workbook.xml"] =
      R"(<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><workbook><sheets><sheet name="&x;" sheetId="1" id="rId1"/></sheets></workbook>)";
  EXPECT_EQ(first_error(XlsxBook::open_file(xxe.write(dir, "xxe.xlsx"))),
            "'xl/workbook.xml' declares a DOCTYPE: refused");
}

TEST(Xlsx, EntriesOutsideTheArchiveTooManyEntriesAndCellsBeyondXfdAreRefused) {
  TempDir dir;
  Parts slip(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
  slip.files["../../etc/cron.d/evil"] = "x";
  EXPECT_EQ(first_error(XlsxBook::open_file(slip.write(dir, "slip.xlsx"))),
            "entry '../../etc/cron.d/evil' points outside the archive");

  Parts many(R"(<row r="1"><c r="A1"><v>1</v></c></row>)");
  for (int i = 0; i < 20; ++i) many.files["xl/media/" + std::to_string(i)] = "x";
  XlsxLimits limits;
  limits.max_entries = 10;
  EXPECT_EQ(first_error(XlsxBook::open_file(many.write(dir, "many.xlsx"), limits)),
            "the archive has 24 entries, more than the limit of 10");

  // An empty cell element whose reference is past any column, after a filled one: expat still
  // reports its end once its start refused it, and the cell was stored at column −1 with the
  // previous cell's type and value (the fuzzer found the write out of bounds).
  auto empty =
      XlsxBook::open_file(Parts(R"(<row r="1"><c r="A1" t="b"><v>1</v></c><c r="ZZZZZZ1"/></row>)")
                              .write(dir, "e.xlsx"));
  ASSERT_TRUE(empty.has_value());
  const Status refused = empty->read_sheet("", [](auto, auto) { return true; });
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.field_errors()[0].rule,
            "sheet 'Données' row 1: cell reference 'ZZZZZZ1' is beyond column XFD");
  auto wide = XlsxBook::open_file(
      Parts(R"(<row r="1"><c r="XFE1"><v>1</v></c></row>)").write(dir, "w.xlsx"));
  ASSERT_TRUE(wide.has_value());
  const Status st = wide->read_sheet("", [](auto, auto) { return true; });
  ASSERT_FALSE(st.is_ok());
  EXPECT_EQ(st.field_errors()[0].rule,
            "sheet 'Données' row 1: cell reference 'XFE1' is beyond column XFD");

  testing::write_file(dir / "not.xlsx", "id,name\n1,a\n");
  EXPECT_EQ(first_error(XlsxBook::open_file((dir / "not.xlsx").string())).substr(0, 44),
            "cannot be read as an XLSX (ZIP) archive: Not");
  EXPECT_TRUE(looks_like_xlsx("PK\x03\x04rest"));
  EXPECT_FALSE(looks_like_xlsx("id,name"));
  EXPECT_EQ(xlsx_column_name(0), "A");
  EXPECT_EQ(xlsx_column_name(25), "Z");
  EXPECT_EQ(xlsx_column_name(26), "AA");
  EXPECT_EQ(xlsx_column_name(16383), "XFD");
  EXPECT_EQ(xlsx_cell_name("Membres", 2, 12), "Membres!C12");
}

}  // namespace
}  // namespace poles::formats
