#include "core/validate.h"

#include <gtest/gtest.h>

namespace poles::validate {
namespace {

TEST(Validate, SirenAcceptsValidLuhn) {
  EXPECT_EQ(siren("732829320"), std::nullopt);  // a real SIREN
  EXPECT_EQ(siren("552100554"), std::nullopt);
}

TEST(Validate, SirenRejectsWrongLengthAndCheckDigit) {
  EXPECT_EQ(siren("73282932"), "SIREN must be exactly 9 digits");
  EXPECT_EQ(siren("73282932A"), "SIREN must be exactly 9 digits");
  EXPECT_EQ(siren("732829321"), "SIREN check digit is wrong (Luhn)");
}

TEST(Validate, SiretLuhnAndLaPosteRule) {
  EXPECT_EQ(siret("73282932000074"), std::nullopt);
  EXPECT_EQ(siret("7328293200007"), "SIRET must be exactly 14 digits");
  EXPECT_EQ(siret("73282932000075"), "SIRET check digit is wrong (Luhn)");
  EXPECT_EQ(siret("73282932100074"),
            "SIRET must start with a valid SIREN: SIREN check digit is wrong (Luhn)");
  // La Poste establishments: digit sum multiple of 5, not Luhn.
  EXPECT_EQ(siret("35600000049837"), std::nullopt);
  EXPECT_EQ(siret("35600000000048"),
            "SIRET check digit is wrong (La Poste rule: digit sum multiple of 5)");
}

TEST(Validate, RegionCodes) {
  for (const char* ok : {"11", "84", "94", "01", "06"}) EXPECT_EQ(region(ok), std::nullopt) << ok;
  EXPECT_EQ(region("05"),
            "unknown INSEE region code (2016 regions: 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, "
            "93, 94; overseas 01, 02, 03, 04, 06)");
  EXPECT_NE(region("82"), std::nullopt);  // a pre-2016 region (Rhône-Alpes)
}

TEST(Validate, DepartmentCodesIncludingCorsicaAndOverseas) {
  for (const char* ok : {"01", "2A", "2B", "75", "95", "971", "974", "976"}) {
    EXPECT_EQ(department(ok), std::nullopt) << ok;
  }
  EXPECT_EQ(department("20"),
            "unknown INSEE department code (01-95 with 2A/2B for Corsica, 971-974, 976)");
  EXPECT_NE(department("975"), std::nullopt);
  EXPECT_NE(department("96"), std::nullopt);
}

TEST(Validate, CommuneCodes) {
  EXPECT_EQ(commune("75056"), std::nullopt);
  EXPECT_EQ(commune("2A004"), std::nullopt);
  EXPECT_EQ(commune("97411"), std::nullopt);
  EXPECT_EQ(commune("20004"),
            "INSEE commune code must be a known department code followed by digits, 5 characters "
            "(e.g. 75056, 2A004, 97411)");
  EXPECT_NE(commune("7505"), std::nullopt);
  EXPECT_NE(commune("97511"), std::nullopt);
}

TEST(Validate, NafCodes) {
  EXPECT_EQ(naf("62.01Z"), std::nullopt);
  EXPECT_EQ(naf("6201Z"), std::nullopt);
  EXPECT_EQ(normalise_naf("6201z"), "62.01Z");
  EXPECT_EQ(naf("62-01Z"),
            "NAF rev.2 code must look like 62.01Z (two digits, dot, two digits, letter)");
  EXPECT_EQ(naf("6201"),
            "NAF rev.2 code must look like 62.01Z (two digits, dot, two digits, letter)");
  EXPECT_EQ(naf("34.01Z"), "unknown NAF rev.2 division '34'");
  EXPECT_EQ(naf_division("62"), std::nullopt);
  EXPECT_EQ(naf_division("04"), "unknown NAF rev.2 division (two digits, 01-99)");
}

TEST(Validate, CountryCodes) {
  EXPECT_EQ(country("FR"), std::nullopt);
  EXPECT_EQ(country("ZZ"), "unknown ISO 3166-1 alpha-2 country code (e.g. FR, DE)");
}

TEST(Validate, Identifiers) {
  EXPECT_EQ(slug("siren:732829320"), std::nullopt);
  EXPECT_EQ(slug("a b"), "identifier may contain only letters, digits, '-', '_', '.' and ':'");
  EXPECT_EQ(slug(""), "identifier must have 1 to 128 characters");
}

TEST(Validate, Utf8) {
  EXPECT_EQ(utf8("Île-de-France"), std::nullopt);
  EXPECT_EQ(utf8("\xC3"), "text is not valid UTF-8");
  EXPECT_EQ(utf8("\xC0\xAF"), "text is not valid UTF-8");      // overlong
  EXPECT_EQ(utf8("\xED\xA0\x80"), "text is not valid UTF-8");  // surrogate
  EXPECT_EQ(utf8("ok\xFF"), "text is not valid UTF-8");
}

TEST(Validate, NumbersWithDecimalComma) {
  EXPECT_EQ(parse_real("1234.5", false), 1234.5);
  EXPECT_EQ(parse_real("1234,5", false), std::nullopt);
  EXPECT_EQ(parse_real("1234,5", true), 1234.5);
  EXPECT_EQ(parse_real("1 234,5", true), 1234.5);
  EXPECT_EQ(parse_real("1\xC2\xA0"
                       "234,5",
                       true),
            1234.5);
  EXPECT_EQ(parse_real("abc", true), std::nullopt);
  EXPECT_EQ(parse_real("inf", true), std::nullopt);
  EXPECT_EQ(parse_int("42"), 42);
  EXPECT_EQ(parse_int("4.2"), std::nullopt);
}

}  // namespace
}  // namespace poles::validate

// Free text people type (decisions, answers, support requests): plain, readable as written.
TEST(Validate, PlainTextRefusesTagsControlsAndInvisibleCharacters) {
  EXPECT_TRUE(poles::validate::plain_text("Plan d'action : 3 < 5, adopté.", false));
  EXPECT_TRUE(poles::validate::plain_text("ligne 1\nligne 2", true));
  EXPECT_FALSE(poles::validate::plain_text("ligne 1\nligne 2", false));
  EXPECT_FALSE(poles::validate::plain_text("<script>x</script>", true));
  EXPECT_FALSE(poles::validate::plain_text("a\x01z", true));
  EXPECT_FALSE(poles::validate::plain_text("\xff", true)) << "not UTF-8";
  // U+202E (right-to-left override) turns "fdp.exe" into what reads as "exe.pdf"; U+200B is a
  // zero-width space; U+2066 a bidirectional isolate.
  EXPECT_FALSE(
      poles::validate::plain_text("rapport\xE2\x80\xAE"
                                  "fdp.exe",
                                  false));
  EXPECT_FALSE(poles::validate::plain_text("DGE\xE2\x80\x8B", false));
  EXPECT_FALSE(
      poles::validate::plain_text("\xE2\x81\xA6"
                                  "x",
                                  false));
  EXPECT_TRUE(poles::validate::plain_text("« guillemets » — tiret \xE2\x80\x94 ok", false));
  EXPECT_EQ(poles::validate::trimmed("  \t texte \n"), "texte");
}
