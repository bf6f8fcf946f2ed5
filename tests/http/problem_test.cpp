// Problem documents in the caller's language: French when Accept-Language asks for it first,
// English otherwise; a text the table lacks stays as it is.
#include "http/problem.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/census.h"
#include "core/schema.h"
#include "core/status.h"
#include "core/validate.h"

namespace poles::http {
namespace {

using Json = nlohmann::json;

TEST(Problem, PrefersFrenchOnlyWhenFrenchComesFirst) {
  EXPECT_TRUE(prefers_french("fr"));
  EXPECT_TRUE(prefers_french("fr-FR,fr;q=0.9,en;q=0.8"));
  EXPECT_TRUE(prefers_french(" FR;q=1"));
  EXPECT_FALSE(prefers_french("en-GB,fr;q=0.9"));
  EXPECT_FALSE(prefers_french(""));
  EXPECT_FALSE(prefers_french("fra"));
}

TEST(Problem, TitleDetailAndRulesInFrench) {
  Response res;
  FieldError fe;
  fe.file = "organisation.csv";
  fe.line = 2;
  fe.column = 3;
  fe.field = "siren";
  fe.value = "123456789";
  fe.rule = "SIREN check digit is wrong (Luhn)";
  problem(res, Status::bad_input({fe}));
  localise_problem("fr-FR,fr;q=0.9", res);
  const Json p = Json::parse(res.body);
  EXPECT_EQ(p["status"], 422);
  EXPECT_EQ(p["title"], "Données invalides");
  EXPECT_EQ(p["detail"], "1 erreur(s) dans les données");
  EXPECT_EQ(p["errors"][0]["rule"], "clé de contrôle du SIREN erronée (Luhn)");
  EXPECT_EQ(p["errors"][0]["message"],
            "organisation.csv:2:3: champ 'siren' valeur '123456789': clé de contrôle du SIREN "
            "erronée (Luhn)");
  bool language = false;
  for (const auto& [k, v] : res.headers)
    language = language || (k == "Content-Language" && v == "fr");
  EXPECT_TRUE(language);
}

TEST(Problem, CensusYearRefusedInFrench) {
  Response res;
  problem(res, 400, "year 2003: a census is released for a year from 2004 to the current one");
  localise_problem("fr", res);
  EXPECT_EQ(Json::parse(res.body)["detail"],
            "année 2003 : un recensement des membres se publie pour une année de 2004 à l'année "
            "en cours");
  Response row;
  problem(row, 409, app::kCensusByReleaseOnly);
  localise_problem("fr", row);
  EXPECT_EQ(Json::parse(row.body)["detail"],
            "le recensement des membres s'écrit par la publication de son année (POST "
            "/api/v1/census/{year}), pas ligne à ligne");
}

// The rules of named rows (a list's items, an S3 domain's id) in French, as a form shows them.
TEST(Problem, NamedRowsAndDomainIdsInFrench) {
  const auto french = [](const char* rule) {
    Response res;
    FieldError fe;
    fe.file = "request";
    fe.field = "s3_domains";
    fe.value = "s3-84-absent";
    fe.rule = rule;
    problem(res, Status::bad_input({fe}));
    localise_problem("fr", res);
    return Json::parse(res.body)["errors"][0]["rule"].get<std::string>();
  };
  EXPECT_EQ(french("item 's3-84-absent' refers to an unknown s3_domain"),
            "l'élément « s3-84-absent » ne désigne aucune ligne de la table s3_domain");
  EXPECT_EQ(french("item 's3-84-absent' refers to an unknown s3_domain (not in the store, nor in "
                   "this load)"),
            "l'élément « s3-84-absent » ne désigne aucune ligne de la table s3_domain (ni dans "
            "la base, ni dans ce chargement)");
  EXPECT_EQ(french("refers to an unknown programme"),
            "ne désigne aucune ligne de la table programme");
  EXPECT_EQ(french("must begin with s3-84- (the code of the domain's region)"),
            "doit commencer par s3-84- (le code de la région du domaine)");
}

TEST(Problem, ReferenceRowsInUseAndFundersInFrench) {
  Response res;
  problem(res, 409, "programme 'FUI' is still named by 46 row(s) of project (field programme)");
  localise_problem("fr", res);
  EXPECT_EQ(Json::parse(res.body)["detail"],
            "programme « FUI » est encore cité par 46 ligne(s) de la table project (champ "
            "programme)");
  Response region;
  FieldError fe;
  fe.file = "funder.csv";
  fe.line = 2;
  fe.field = "region";
  fe.rule = "is required for a funder of kind feder (the region whose money it is)";
  problem(region, Status::bad_input({fe}));
  localise_problem("fr", region);
  EXPECT_EQ(Json::parse(region.body)["errors"][0]["rule"],
            "obligatoire pour un financeur de type feder (la région dont c'est l'argent)");
}

// An unknown evaluation method and a publication without intervals, in French (by hand).
TEST(Problem, AnUnknownMethodInFrench) {
  Response res;
  problem(res, 404, "parameter 'method': no shipped method named 'strict'");
  localise_problem("fr", res);
  EXPECT_EQ(Json::parse(res.body)["detail"].get<std::string>(),
            "paramètre « method » : aucune méthode fournie ne s'appelle « strict »");
  problem(res, 400,
          "parameter 'draws': the method rates by rank interval, which needs 100 draws or more to "
          "publish");
  localise_problem("fr", res);
  EXPECT_EQ(Json::parse(res.body)["detail"].get<std::string>(),
            "paramètre « draws » : la méthode note par intervalle de rang, ce qui demande au "
            "moins 100 tirages pour publier");
}

// Refusals that keep imports' ids for the imports, in French (written by hand).
TEST(Problem, ImportIdsAndMergedIdsInFrench) {
  const auto french = [](int status, const std::string& detail) {
    Response res;
    problem(res, status, detail);
    localise_problem("fr", res);
    return Json::parse(res.body)["detail"].get<std::string>();
  };
  EXPECT_EQ(french(403,
                   "the id 'cordis:101999999' is one the SIRENE and CORDIS imports give (siren:…, "
                   "cordis:…): record it under another id"),
            "l'identifiant « cordis:101999999 » est de ceux que donnent les imports SIRENE et "
            "CORDIS (siren:…, cordis:…) : enregistrez-le sous un autre identifiant");
  EXPECT_EQ(french(409,
                   "organisation 'annuaire:capteurs' was merged into 'o1': the id names that "
                   "organisation now"),
            "l'organisation « annuaire:capteurs » a été fusionnée dans « o1 » : cet identifiant "
            "désigne désormais celle-ci");
}

// The rules of the reference geography and of identifiers, in French (written by hand).
TEST(Problem, CommunesAndIdentifiersInFrench) {
  const auto french = [](const std::string& rule) {
    Response res;
    FieldError fe;
    fe.file = "request";
    fe.field = "commune";
    fe.rule = rule;
    problem(res, Status::bad_input({fe}));
    localise_problem("fr", res);
    return Json::parse(res.body)["errors"][0]["rule"].get<std::string>();
  };
  EXPECT_EQ(french("is no longer a commune code: now 01262 (Montluel)"),
            "n'est plus un code de commune : désormais 01262 (Montluel)");
  EXPECT_EQ(french(std::string(schema::kUnknownCommuneRule)),
            "commune inconnue : absente du code officiel géographique que la base contient (le "
            "COG de l'INSEE, importé par poles import-communes)");
  EXPECT_EQ(french("does not match commune 69123 (zone d'emploi 8401)"),
            "ne correspond pas à la commune 69123 (zone d'emploi 8401)");
  EXPECT_EQ(french("does not match commune 69123 (department 69)"),
            "ne correspond pas à la commune 69123 (département 69)");
  EXPECT_EQ(french("does not match department 69 (region 84)"),
            "ne correspond pas au département 69 (région 84)");
  EXPECT_EQ(french("PIC (the Commission's participant identification code) must have 9 digits"),
            "un PIC (code d'identification des participants de la Commission) compte 9 chiffres");
  EXPECT_EQ(french(*validate::vat("FR04552081317")),
            "un numéro de TVA français s'écrit FR, une clé de 2 chiffres et le SIREN, la clé "
            "valant (12 + 3 × (SIREN mod 97)) mod 97");
  EXPECT_EQ(french(*validate::vat("fr 03 552")),
            "un numéro de TVA s'écrit avec le préfixe du pays et 2 à 13 lettres capitales ou "
            "chiffres, sans espace");
}

TEST(Problem, EnglishOrUnknownTextsStayAsTheyAre) {
  Response en;
  problem(en, 401, "log in, or send a bearer token");
  const std::string before = en.body;
  localise_problem("en", en);
  EXPECT_EQ(en.body, before);
  Response fr;
  problem(fr, 409, "something the table does not know");
  localise_problem("fr", fr);
  const Json p = Json::parse(fr.body);
  EXPECT_EQ(p["title"], "Conflit");
  EXPECT_EQ(p["detail"], "something the table does not know");
  Response page;
  page.set(200, "text/html; charset=utf-8", "<p>log in, or send a bearer token</p>");
  localise_problem("fr", page);
  EXPECT_EQ(page.body, "<p>log in, or send a bearer token</p>");
}

TEST(Problem, AccessRefusalsInFrench) {
  Response field;
  problem(field, Status::permission_denied(
                     "the member role may not write the field 'siren' of organisation: it is "
                     "reserved to the State (docs/access.md)"));
  localise_problem("fr", field);
  EXPECT_EQ(Json::parse(field.body)["detail"],
            "le rôle membre ne permet pas d'écrire le champ « siren » (organisation) : il est "
            "réservé à l'État (docs/access.md)");
  Response row;
  problem(row, Status::permission_denied(
                   "cluster_manager 'cm' (cluster demo-1) may not create this diagnostic: the row "
                   "is not own cluster, before and after the change"));
  localise_problem("fr", row);
  EXPECT_EQ(Json::parse(row.body)["detail"],
            "le compte « cm » (rôle gestionnaire de pôle, pôle demo-1) ne peut pas créer cette "
            "ligne (diagnostic) : elle n'est pas de son pôle, avant et après la modification");
  // No code left in the French text: roles, operations, entities and relationships.
  Response two;
  problem(two, Status::permission_denied(
                   "region 'r' (region 11) may not update this project_label: the row is not "
                   "project owned by a cluster of own region, before and after the change"));
  localise_problem("fr", two);
  EXPECT_EQ(Json::parse(two.body)["detail"],
            "le compte « r » (rôle région, région 11) ne peut pas modifier cette ligne "
            "(labellisation de projet) : elle n'est pas d'un projet détenu par un pôle de sa "
            "région, avant et après la modification");
  Response alternatives;
  problem(alternatives,
          Status::permission_denied("member 'm' (organisation acme) may not read this diagnostic: "
                                    "the row is not own cluster or own organisation, before and "
                                    "after the change"));
  localise_problem("fr", alternatives);
  EXPECT_EQ(Json::parse(alternatives.body)["detail"],
            "le compte « m » (rôle membre, organisation acme) ne peut pas lire cette ligne "
            "(diagnostic) : elle n'est ni de son pôle ni de son organisation, avant et après la "
            "modification");
  Response none;
  problem(none,
          Status::permission_denied("reviewer 'x' (reviewer rev-1) may not delete this "
                                    "firm_year: the role has no such right (docs/access.md)"));
  localise_problem("fr", none);
  EXPECT_EQ(Json::parse(none.body)["detail"],
            "le compte « x » (rôle expert, expert rev-1) ne peut pas supprimer cette ligne "
            "(entreprise-année) : le rôle n'a pas ce droit (docs/access.md)");
  Response route;
  problem(route, Status::permission_denied("the member role may not GET /api/v1/firm_year"));
  localise_problem("fr", route);
  EXPECT_EQ(Json::parse(route.body)["detail"],
            "le rôle membre ne permet pas d'appeler GET /api/v1/firm_year");
}

TEST(Problem, PublicationRefusalsInFrench) {
  Response again;
  problem(again, Status::conflict("the evaluation of 2022 is published already (a publication is "
                                  "frozen)"));
  localise_problem("fr", again);
  EXPECT_EQ(Json::parse(again.body)["detail"],
            "l'évaluation de 2022 est déjà publiée (une publication est figée)");
}

}  // namespace
}  // namespace poles::http
