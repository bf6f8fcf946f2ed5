#include "http/problem.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <utility>
#include <vector>

#include "app/policy.h"
#include "core/validate.h"

namespace poles::http {

using Json = nlohmann::ordered_json;  // as http/router.h names it

namespace {

struct Kind {
  const char* type;
  const char* title;
};

Kind kind_of(int status) {
  switch (status) {
    case 400:
      return {"bad-request", "Bad request"};
    case 401:
      return {"unauthenticated", "Authentication required"};
    case 403:
      return {"forbidden", "Forbidden"};
    case 404:
      return {"not-found", "Not found"};
    case 405:
      return {"method-not-allowed", "Method not allowed"};
    case 408:
      return {"timeout", "Request timeout"};
    case 409:
      return {"conflict", "Conflict"};
    case 411:
      return {"length-required", "Length required"};
    case 412:
      return {"precondition-failed", "Precondition failed"};
    case 413:
      return {"too-large", "Payload too large"};
    case 414:
      return {"uri-too-long", "URI too long"};
    case 415:
      return {"unsupported-media-type", "Unsupported media type"};
    case 422:
      return {"bad-input", "Invalid data"};
    case 428:
      return {"precondition-required", "Precondition required"};
    case 429:
      return {"too-many", "Too many requests"};
    case 431:
      return {"header-too-large", "Request header fields too large"};
    case 501:
      return {"not-implemented", "Not implemented"};
    case 503:
      return {"unavailable", "Service unavailable"};
    default:
      return {"internal", "Internal error"};
  }
}

// Text that may hold anything a client sent: cut at a character boundary, and only valid UTF-8
// (the JSON writer throws on invalid UTF-8).
std::string safe(std::string_view s, size_t max = 2000) {
  if (validate::utf8(s)) return "(not valid UTF-8)";
  return validate::truncate_utf8(s, max);
}

void write(Response& res, int status, std::string_view detail, const Status* st) {
  const Kind k = kind_of(status);
  Json p{{"type", std::string("https://poles.invalid/problems/") + k.type},
         {"title", k.title},
         {"status", status},
         {"detail", safe(detail)}};
  if (st != nullptr && !st->field_errors().empty()) {
    Json errs = Json::array();
    for (const auto& fe : st->field_errors()) {
      Json e{{"field", safe(fe.field, 200)},
             {"value", safe(fe.value, 200)},
             {"rule", safe(fe.rule)},
             {"message", safe(fe.format())}};
      if (!fe.file.empty()) e["file"] = safe(fe.file, 200);
      if (fe.line > 0) e["line"] = fe.line;
      if (fe.column > 0) e["column"] = fe.column;
      if (!fe.cell.empty()) e["cell"] = safe(fe.cell, 200);
      errs.push_back(std::move(e));
    }
    p["errors"] = std::move(errs);
  }
  res.status = status;
  res.content_type = "application/problem+json";
  res.body = p.dump();
}

const char* french_title(int status) {
  switch (status) {
    case 400:
      return "Requête incorrecte";
    case 401:
      return "Authentification requise";
    case 403:
      return "Accès refusé";
    case 404:
      return "Introuvable";
    case 405:
      return "Méthode non permise";
    case 408:
      return "Délai de la requête dépassé";
    case 409:
      return "Conflit";
    case 411:
      return "Longueur requise";
    case 412:
      return "Précondition non remplie";
    case 413:
      return "Contenu trop volumineux";
    case 414:
      return "Adresse trop longue";
    case 415:
      return "Type de contenu non pris en charge";
    case 422:
      return "Données invalides";
    case 428:
      return "Précondition requise";
    case 429:
      return "Trop de requêtes";
    case 431:
      return "En-têtes trop volumineux";
    case 501:
      return "Non implémenté";
    case 503:
      return "Service indisponible";
    default:
      return "Erreur interne";
  }
}

// The server's English texts (problem details, validation rules) and their French wording; a
// text matching none stays as it is. Applied in order, first match only.
const std::vector<std::pair<std::regex, std::string>>& french_texts() {
  static const auto* table = [] {
    const std::array<std::pair<const char*, const char*>, 162> raw{{
        {R"(^(\d+) errors? in input$)", "$1 erreur(s) dans les données"},
        {R"(^a table to export has 1 to (\d+) columns$)",
         "un tableau à exporter a de 1 à $1 colonnes"},
        {R"(^a table to export has at most (\d+) rows$)",
         "un tableau à exporter a au plus $1 lignes"},
        {R"(^a table to export has at most (\d+) cells$)",
         "un tableau à exporter a au plus $1 cellules"},
        {R"(^an account's language is fr, en or null$)",
         "la langue d'un compte est fr, en ou null"},
        {R"(^a cell holds at most (\d+) bytes of text$)",
         "une cellule tient au plus $1 octets de texte"},
        {R"(^two workbooks are being written: try again in a few seconds$)",
         "deux classeurs sont en cours d'écriture : réessayez dans quelques secondes"},
        {R"(^row (\d+) has (\d+) cells for (\d+) columns$)",
         "la ligne $1 a $2 cellules pour $3 colonnes"},
        {R"(^row (\d+): a cell is a text of at most (\d+) bytes, a number or null$)",
         "ligne $1 : une cellule est un texte d'au plus $2 octets, un nombre ou null"},
        {R"(^log in, or send a bearer token$)", "connectez-vous, ou envoyez un jeton d'API"},
        {R"(^the server is stopping$)", "le serveur s'arrête"},
        {R"(^the store does not answer$)", "la base de données ne répond pas"},
        {R"(^the metrics are off: no \[metrics\] token is configured$)",
         "les métriques sont désactivées : aucun jeton [metrics] n'est configuré"},
        {R"(^the metrics need the bearer token of \[metrics\]$)",
         "les métriques demandent le jeton de la section [metrics] (Authorization: Bearer)"},
        {R"(^unknown user or wrong password$)", "identifiant inconnu ou mot de passe erroné"},
        {R"(^missing or wrong X-CSRF-Token header$)", "en-tête X-CSRF-Token absent ou erroné"},
        {R"(^the login needs Content-Type: application/json$)",
         "la connexion demande Content-Type: application/json"},
        {R"(^the Authorization header must be 'Bearer <token>'$)",
         "l'en-tête Authorization doit être « Bearer <jeton> »"},
        {R"(^an internal error occurred; it has been logged$)",
         "une erreur interne est survenue ; elle a été journalisée"},
        {R"(^the evaluation of (\d+) is published already \(a publication is frozen\)$)",
         "l'évaluation de $1 est déjà publiée (une publication est figée)"},
        {R"(^the evaluation of (\d+) is published: its assessments are frozen$)",
         "l'évaluation de $1 est publiée : ses appréciations sont figées"},
        {R"(^year (.*): a census is released for a year from 2004 to the current one$)",
         "année $1 : un recensement des membres se publie pour une année de 2004 à l'année en "
         "cours"},
        {R"(^the census of members is written by a release of its year \(POST /api/v1/census/\{year\}\), not row by row$)",
         "le recensement des membres s'écrit par la publication de son année (POST "
         "/api/v1/census/{year}), pas ligne à ligne"},
        {R"(^the SIREN (\d+) is already organisation '(.*)''s: merge the two organisations$)",
         "le SIREN $1 est déjà celui de l'organisation « $2 » : fusionnez les deux organisations"},
        {R"(^the SIREN (\d+) is not among the legal units of the SIRENE reference$)",
         "le SIREN $1 ne figure pas parmi les unités légales de la référence SIRENE"},
        {R"(^organisation '(.*)' already has the SIREN (\d+)$)",
         "l'organisation « $1 » a déjà le SIREN $2"},
        {R"(^give either a siren or reject: true$)", "indiquez soit un SIREN, soit reject: true"},
        {R"(^accept, margin and review lie between 0 and 1$)",
         "accept, margin et review sont compris entre 0 et 1"},
        {R"(^a matching to SIREN is running already: try again when it ends$)",
         "un rapprochement avec SIRENE est déjà en cours : réessayez quand il sera terminé"},
        {R"(^no employment at level '(.*)': the employment table has no row of that level$)",
         "aucun chiffre d'emploi au niveau « $1 » : la table de l'emploi n'a aucune ligne de ce "
         "niveau"},
        {R"(^no employment by (\S+) at level '(.*)' \(nor by a finer NAF level to sum\)$)",
         "aucun chiffre d'emploi par $1 au niveau « $2 » (ni à un niveau plus fin de la NAF à "
         "sommer)"},
        {R"(^parameter 'territory': no employment for (\S+) '(.*)'$)",
         "paramètre « territory » : aucun chiffre d'emploi pour le territoire « $2 » ($1)"},
        {R"(^parameter 'method': no shipped method named '(.*)'$)",
         "paramètre « method » : aucune méthode fournie ne s'appelle « $1 »"},
        {R"(^parameter 'draws': the method rates by rank interval, which needs (\d+) draws or more to publish$)",
         "paramètre « draws » : la méthode note par intervalle de rang, ce qui demande au moins $1 "
         "tirages pour publier"},
        {R"(^parameter 'sector': no employment for sector '(.*)' at NAF level (\S+)$)",
         "paramètre « sector » : aucun chiffre d'emploi pour le secteur « $1 » au niveau $2 de "
         "la NAF"},
        {R"(^no employment for year (\d+) \(years (\d+)–(\d+)\)$)",
         "aucun chiffre d'emploi pour l'année $1 (années $2 à $3)"},
        {R"(^shift-share needs employment in (\d+) and (\d+) \(years (\d+)–(\d+)\)$)",
         "la décomposition demande l'emploi de $1 et de $2 (années $3 à $4)"},
        {R"(^from \((\d+)\) must be before to \((\d+)\)$)",
         "« from » ($1) doit précéder « to » ($2)"},
        {R"(^the national total is missing for one of the years$)",
         "le total national manque pour l'une des années"},
        {R"(^a projection needs at least 3 positive years, got (\d+)$)",
         "une projection demande au moins 3 années positives, il y en a $1"},
        {R"(^not a date \(dd/mm/yyyy, yyyy-mm-dd or '3 janvier 2024'\)$)",
         "n'est pas une date (jj/mm/aaaa, aaaa-mm-jj ou « 3 janvier 2024 »)"},
        {R"(^the year must have 4 digits \(a 2-digit year is ambiguous\)$)",
         "l'année doit compter 4 chiffres (une année sur 2 chiffres est ambiguë)"},
        {R"(^month above 12: dates are read day first \(dd/mm/yyyy\)$)",
         "mois au-delà de 12 : les dates se lisent jour d'abord (jj/mm/aaaa)"},
        {R"(^not a number \(French or international form: .*\)$)",
         "n'est pas un nombre (forme française ou internationale : « 1 234,5 », « 1234.5 »)"},
        {R"(^a postcode has 5 digits$)", "un code postal compte 5 chiffres"},
        {R"(^an INSEE code has 5 characters \(digits, or 2A/2B then 3 digits\)$)",
         "un code INSEE compte 5 caractères (des chiffres, ou 2A/2B puis 3 chiffres)"},
        {R"(^not a year nor a date$)", "ni une année ni une date"},
        {R"(^a zone d'emploi code has up to four digits$)",
         "un code de zone d'emploi compte au plus quatre chiffres"},
        {R"(^no département has this postcode$)", "aucun département n'a ce code postal"},
        {R"(^a SIRET has 14 digits \(a SIREN 9\)$)", "un SIRET compte 14 chiffres (un SIREN 9)"},
        {R"(^not a yes/no value \(oui/non, 1/0, x\)$)",
         "n'est pas une valeur oui/non (oui/non, 1/0, x)"},
        {R"(^not in the dictionary '(.*)' of the mapping \(labels: (.*)\)$)",
         "absent du dictionnaire « $1 » de la correspondance (libellés : $2)"},
        {R"(^organisation '(.*)' cannot be merged into itself$)",
         "l'organisation « $1 » ne peut être fusionnée avec elle-même"},
        {R"(^organisations '(.*)' and '(.*)' have different SIRENs \((\d+) and (\d+)\): two legal units are not one organisation$)",
         "les organisations « $1 » et « $2 » ont des SIREN différents ($3 et $4) : deux unités "
         "légales ne sont pas une même organisation"},
        {R"(^organisation '(.*)' has (\d+) member account\(s\): an administrator moves or closes them before the merge$)",
         "l'organisation « $1 » a $2 compte(s) de membre : un administrateur les déplace ou les "
         "ferme avant la fusion"},
        {R"(^organisations '(.*)' and '(.*)' are counted in different clusters or years of the released member census, and the merged firm has figures in the firm panel: merging would move released firm aggregates by its figures$)",
         "les organisations « $1 » et « $2 » sont comptées dans des pôles ou des années "
         "différents du recensement publié des membres, et l'entreprise fusionnée a des chiffres "
         "dans le panel : la fusion déplacerait des agrégats publiés du montant de ses chiffres"},
        {R"(^the merged organisation breaks a rule: field '(.*)': (.*)$)",
         "l'organisation fusionnée enfreint une règle : champ « $1 » : $2"},
        {R"(^no file (.*)$)", "aucun fichier $1"},
        {R"(^the decision on cluster '(.*)' after the evaluation of (\d+) changed meanwhile: read it again$)",
         "la décision sur le pôle « $1 » après l'évaluation de $2 a changé entre-temps : "
         "relisez-la"},
        {R"(^parameter 'from': (\d+) is after 'to' \((\d+)\)$)",
         "paramètre « from » : $1 est après « to » ($2)"},
        {R"(^parameter 'from': a phase spans at most (\d+) years$)",
         "paramètre « from » : une phase couvre au plus $1 années"},
        {R"(^no evaluation of (\d+) to (\d+) to read$)", "aucune évaluation de $1 à $2 à lire"},
        {R"(^parameter 'from': a window spans at most (\d+) years$)",
         "paramètre « from » : une période couvre au plus $1 années"},
        {R"(^no region '(.*)'$)", "aucune région « $1 »"},
        {R"(^a region reads its own co-funding, not region '(.*)'$)",
         "une région lit son propre cofinancement, pas celui de la région « $1 »"},
        {R"(^no decision on cluster '(.*)' after the evaluation of (\d+)$)",
         "aucune décision sur le pôle « $1 » après l'évaluation de $2"},
        {R"(^the evaluation of (\d+) is not published: a decision follows a published evaluation$)",
         "l'évaluation de $1 n'est pas publiée : une décision suit une évaluation publiée"},
        {R"(^cluster '(.*)' is not in the published evaluation of (\d+)$)",
         "le pôle « $1 » ne figure pas dans l'évaluation publiée de $2"},
        {R"(^the State records the decisions that follow an evaluation$)",
         "l'État enregistre les décisions qui suivent une évaluation"},
        {R"(^the cluster's manager answers the State's decision$)",
         "le gestionnaire du pôle répond à la décision de l'État"},
        {R"(^an action level from 0 to 4$)", "un niveau d'action de 0 à 4"},
        {R"(^the decision's text is required$)", "le texte de la décision est requis"},
        {R"(^plain text of at most 4,000 bytes, without HTML tags$)",
         "du texte brut d'au plus 4 000 octets, sans balise HTML"},
        {R"(^a date YYYY-MM-DD$)", "une date AAAA-MM-JJ"},
        {R"(^a deadline from (\d+) to (\d+) \(the evaluation's year to ten years after\)$)",
         "une échéance de $1 à $2 (de l'année de l'évaluation à dix ans après)"},
        {R"(^who follows the decision at the State is required$)",
         "le responsable du suivi à l'État est requis"},
        {R"(^one line of plain text of at most 200 bytes$)",
         "une ligne de texte brut d'au plus 200 octets"},
        {R"(^one line of plain text of 1 to 200 bytes$)",
         "une ligne de texte brut de 1 à 200 octets"},
        {R"(^at most 20 documents$)", "au plus 20 documents"},
        {R"(^an https:// or http:// address of at most 2,000 bytes, without spaces or quotes$)",
         "une adresse https:// ou http:// d'au plus 2 000 octets, sans espace ni guillemet"},
        {R"(^the answer is required$)", "la réponse est requise"},
        {R"(^'(.*)' is not a year$)", "« $1 » n'est pas une année"},
        {R"(^no cluster '(.*)'$)", "aucun pôle « $1 »"},
        {R"(^no organisation '(.*)'$)", "aucune organisation « $1 »"},
        {R"(^no project '(.*)'$)", "aucun projet « $1 »"},
        {R"(^no call '(.*)'$)", "aucun appel « $1 »"},
        {R"(^no (\S+) '(.*)'$)", "introuvable : $1 « $2 »"},
        {R"(^no route (.*)$)", "aucune route $1"},
        {R"(^SIREN check digit is wrong \(Luhn\)$)", "clé de contrôle du SIREN erronée (Luhn)"},
        {R"(^SIRET check digit is wrong \(Luhn\)$)", "clé de contrôle du SIRET erronée (Luhn)"},
        {R"(^SIREN must be exactly 9 digits$)", "le SIREN doit compter exactement 9 chiffres"},
        {R"(^SIRET must be exactly 14 digits$)", "le SIRET doit compter exactement 14 chiffres"},
        {R"(^SIRET must start with a valid SIREN: (.*)$)",
         "le SIRET doit commencer par un SIREN valide : $1"},
        {R"(^is required$)", "obligatoire"},
        {R"(^required column is missing$)", "colonne obligatoire absente"},
        {R"(^is required: the file has no such column and the row is not stored yet$)",
         "obligatoire : le fichier n'a pas cette colonne et la ligne n'existe pas encore"},
        {R"(^outside the scope of this replace \((.*)\)$)",
         "hors du périmètre de ce remplacement ($1)"},
        {R"(^is stored outside the scope of this replace \((.*)\): the file cannot move it there$)",
         "enregistrée hors du périmètre de ce remplacement ($1) : le fichier ne peut pas l'y "
         "déplacer"},
        {R"(^the scope of this replace \((.*)\) is checked on each row: the file needs this column$)",
         "le périmètre de ce remplacement ($1) est vérifié sur chaque ligne : le fichier doit "
         "avoir cette colonne"},
        {R"(^not in the file, so it would be deleted, but (\d+) row\(s\) of (\S+) \(field (\S+)\) refer to it: delete them first, or import without replace$)",
         "absente du fichier, elle serait supprimée, mais $1 ligne(s) de la table $2 (champ $3) "
         "la désignent : supprimez-les d'abord, ou importez sans remplacer"},
        {R"(^replace mode deletes the stored rows the file does not list: name the rows it is the record of with a scope.*$)",
         "le mode remplacement supprime les lignes enregistrées que le fichier ne contient pas : "
         "indiquez le périmètre dont il est la liste complète (champ et valeur, par exemple "
         "cluster_id=…)"},
        {R"(^a scope applies to replace mode only$)",
         "un périmètre ne s'applique qu'au mode remplacement"},
        {R"(^a membership snapshot ends the members it does not list; replace mode would delete them: choose one$)",
         "un instantané des adhésions clôt les adhésions absentes du fichier, le mode "
         "remplacement les supprimerait : choisissez l'un ou l'autre"},
        {R"(^scope '(.*)': must be FIELD=VALUE \(a field of (\S+) and its value\)$)",
         "périmètre « $1 » : il s'écrit CHAMP=VALEUR (un champ de la table $2 et sa valeur)"},
        {R"(^scope '(.*)': (\S+) has no field '(.*)'$)",
         "périmètre « $1 » : la table $2 n'a pas de champ « $3 »"},
        {R"(^scope '(.*)': give the value of (\S+) the file replaces$)",
         "périmètre « $1 » : indiquez la valeur de $2 dont le fichier remplace les lignes"},
        {R"(^scope '(.*)': value '(.*)': (.*)$)", "périmètre « $1 » : valeur « $2 » invalide ($3)"},
        {R"(^assessments are not replaced by scope: a published year's are frozen; import them in upsert mode, or delete them one by one$)",
         "les évaluations ne se remplacent pas par périmètre : celles d'une année publiée sont "
         "figées ; importez-les en mode compléter, ou supprimez-les une à une"},
        {R"(^funder '(.*)' is the money of region (\S+): it is recorded on a project owned by a cluster of that region, or by the State$)",
         "le financeur « $1 » est l'argent de la région $2 : il s'inscrit sur un projet détenu "
         "par un pôle de cette région, ou par l'État"},
        {R"(^is required for a funder of kind (\S+) \(the region whose money it is\)$)",
         "obligatoire pour un financeur de type $1 (la région dont c'est l'argent)"},
        {R"(^does not match commune (\S+) \(department (\S+)\)$)",
         "ne correspond pas à la commune $1 (département $2)"},
        {R"(^does not match commune (\S+) \(zone d'emploi (\S+)\)$)",
         "ne correspond pas à la commune $1 (zone d'emploi $2)"},
        {R"(^does not match department (\S+) \(region (\S+)\)$)",
         "ne correspond pas au département $1 (région $2)"},
        {R"(^unknown commune: not in the official geographic code the store holds.*$)",
         "commune inconnue : absente du code officiel géographique que la base contient (le COG "
         "de l'INSEE, importé par poles import-communes)"},
        {R"(^is no longer a commune code: now (\S+) \((.*)\)$)",
         "n'est plus un code de commune : désormais $1 ($2)"},
        {R"(^the id '(.*)' is one the SIRENE and CORDIS imports give \(siren:…, cordis:…\): record it under another id$)",
         "l'identifiant « $1 » est de ceux que donnent les imports SIRENE et CORDIS (siren:…, "
         "cordis:…) : enregistrez-le sous un autre identifiant"},
        {R"(^organisation '(.*)' was merged into '(.*)': the id names that organisation now$)",
         "l'organisation « $1 » a été fusionnée dans « $2 » : cet identifiant désigne désormais "
         "celle-ci"},
        {R"(^is not the code of a commune of a known department$)",
         "n'est pas le code d'une commune d'un département connu"},
        {R"(^is required for a municipal district \(its commune\)$)",
         "obligatoire pour un arrondissement municipal (sa commune)"},
        {R"(^is only for a municipal district$)", "réservé à un arrondissement municipal"},
        {R"(^must be siren, vat, pic, rna, former_id or directory:<name> \(a directory's own key\)$)",
         "doit valoir siren, vat, pic, rna, former_id ou directory:<nom> (la clé propre d'un "
         "annuaire)"},
        {R"(^PIC \(the Commission's participant identification code\) must have 9 digits$)",
         "un PIC (code d'identification des participants de la Commission) compte 9 chiffres"},
        {R"(^RNA number \(an association's\) must be W followed by 9 letters or digits$)",
         "un numéro RNA (d'association) s'écrit W suivi de 9 lettres ou chiffres"},
        {R"(^VAT number must be a country prefix and 2 to 13 capital letters or digits, without spaces$)",
         "un numéro de TVA s'écrit avec le préfixe du pays et 2 à 13 lettres capitales ou "
         "chiffres, sans espace"},
        {R"(^French VAT number must be FR, a 2-digit key and a SIREN, the key .*$)",
         "un numéro de TVA français s'écrit FR, une clé de 2 chiffres et le SIREN, la clé valant "
         "(12 + 3 × (SIREN mod 97)) mod 97"},
        {R"(^is given$)", "ne doit pas être renseigné"},
        {R"(^is not a calendar date$)", "n'est pas une date du calendrier"},
        {R"(^is not a parameter \(parameters: (.*)\)$)",
         "n'est pas un paramètre (paramètres : $1)"},
        {R"(^is not a parameter \(this takes none\)$)",
         "n'est pas un paramètre (aucun n'est accepté ici)"},
        {R"(^must be one of: (.*)$)", "doit être l'une des valeurs : $1"},
        {R"(^must be a boolean.*$)", "doit être un booléen (0/1, true/false, oui/non)"},
        {R"(^must be a finite number$)", "doit être un nombre fini"},
        {R"(^must be a number \(decimal point or comma\)$)",
         "doit être un nombre (virgule ou point décimal)"},
        {R"(^must be a number between (.*) and (.*)$)", "doit être un nombre entre $1 et $2"},
        {R"(^must be a whole number between (.*) and (.*)$)",
         "doit être un nombre entier entre $1 et $2"},
        {R"(^must be (a number|an integer)$)", "doit être un nombre"},
        {R"(^must be an ISO 8601 date YYYY-MM-DD$)", "doit être une date ISO 8601 AAAA-MM-JJ"},
        {R"(^must be an http:// or https:// address$)",
         "doit être une adresse http:// ou https://"},
        {R"(^must be at least (.*)$)", "doit valoir au moins $1"},
        {R"(^must be at most (.*)$)", "doit valoir au plus $1"},
        {R"(^must be between (.*) and (.*)$)", "doit être compris entre $1 et $2"},
        {R"(^must not be before (.*)$)", "ne doit pas précéder $1"},
        {R"(^must not be negative$)", "ne doit pas être négatif"},
        {R"(^must not exceed (.*)$)", "ne doit pas dépasser $1"},
        {R"(^unknown INSEE region code \(2016 regions: (.*); overseas (.*)\)$)",
         "code de région INSEE inconnu (régions de 2016 : $1 ; outre-mer $2)"},
        {R"(^unknown INSEE department code.*$)", "code de département INSEE inconnu"},
        {R"(^unknown ISO 3166-1 alpha-2 country code.*$)",
         "code de pays ISO 3166-1 alpha-2 inconnu"},
        {R"(^identifier may contain only letters, digits, (.*) and (.*)$)",
         "un identifiant ne contient que des lettres, des chiffres, $1 et $2"},
        {R"(^identifier must have 1 to 128 characters$)",
         "un identifiant compte de 1 à 128 caractères"},
        {R"(^a list of ids names at most (\d+) rows$)",
         "une liste d'identifiants nomme au plus $1 lignes"},
        {R"(^item '(.*)' is named twice$)", "l'élément « $1 » est nommé deux fois"},
        {R"(^unknown NAF rev\.2 sector: .*$)",
         "secteur NAF rév. 2 inconnu : une section (A21, une lettre : C), un code A38 (deux "
         "lettres : CI), une division (A88, deux chiffres : 26) ou « total »"},
        {R"(^zone d'emploi 2020 code must have four digits.*$)",
         "un code de zone d'emploi 2020 compte quatre chiffres, les deux premiers un code de "
         "région ou 00 (par ex. 1101, 0053)"},
        {R"(^unknown zone d'emploi: not in the referential of zones.*$)",
         "zone d'emploi inconnue : absente du référentiel des zones (la liste ZE2020 de l'INSEE, "
         "importée comme territoires de niveau zone)"},
        {R"(^zone d'emploi (\d+) lies in region (\d+)$)",
         "la zone d'emploi $1 se trouve dans la région $2"},
        {R"(^(\S+) '(.*)' is still named by (\d+) row\(s\) of (\S+) \(field (\S+)\)$)",
         "$1 « $2 » est encore cité par $3 ligne(s) de la table $4 (champ $5)"},
        {R"(^(\S+) '(.*)' is still referenced by other rows: (.*)$)",
         "$1 « $2 » est encore utilisé par d'autres lignes : $3"},
        {R"(^refers to an unknown (\S+) \(not in the store, nor (?:earlier )?in this load\)$)",
         "fait référence à un·e $1 inconnu·e (ni dans la base, ni dans ce chargement)"},
        {R"(^refers to an unknown (\S+)$)", "ne désigne aucune ligne de la table $1"},
        {R"(^item '(.*)' refers to an unknown (\S+) \(not in the store, nor in this load\)$)",
         "l'élément « $1 » ne désigne aucune ligne de la table $2 (ni dans la base, ni dans ce "
         "chargement)"},
        {R"(^item '(.*)' refers to an unknown (\S+)$)",
         "l'élément « $1 » ne désigne aucune ligne de la table $2"},
        {R"(^must begin with s3-(\S+)- \(the code of the domain's region\)$)",
         "doit commencer par s3-$1- (le code de la région du domaine)"},
    }};
    auto* t = new std::vector<std::pair<std::regex, std::string>>();
    for (const auto& [re, fr] : raw) t->emplace_back(std::regex(re), fr);
    return t;
  }();
  return *table;
}

// A code of the access policy in French (app::french_term), or the code itself.
std::string term(const std::string& code) {
  const auto fr = app::french_term(code);
  return fr.empty() ? code : std::string(fr);
}

// The access refusals, whose parts are codes (role, scope kind, operation, entity,
// relationships): each part in French, not only the sentence around it.
std::optional<std::string> french_refusal(const std::string& text) {
  static const std::regex row(
      R"(^(\S+) '([^']*)'(?: \((\S+) ([^)]*)\))? may not (\S+) this (\S+): (.*)$)");
  static const std::regex field(
      R"(^the (\S+) role may not write the field '(.*)' of (\S+): it is reserved to (the State|the roles (.*)) \(docs/access.md\)$)");
  static const std::regex route(R"(^the (\S+) role may not (\S+) (\S+)$)");
  std::smatch m;
  if (std::regex_match(text, m, row)) {
    std::string who = fmt::format("le compte « {} » (rôle {}", m[2].str(), term(m[1].str()));
    if (m[3].matched) who += fmt::format(", {} {}", term(m[3].str()), m[4].str());
    who += fmt::format(") ne peut pas {} cette ligne ({}) : ", term(m[5].str()), term(m[6].str()));
    const std::string why = m[7].str();
    static const std::regex not_rel(R"(^the row is not (.*), before and after the change$)");
    std::smatch r;
    if (std::regex_match(why, r, not_rel)) {
      std::vector<std::string> rels;
      const std::string list = r[1].str();
      for (size_t at = 0; at <= list.size();) {
        size_t end = list.find(" or ", at);
        if (end == std::string::npos) end = list.size();
        rels.push_back(term(list.substr(at, end - at)));
        at = end + 4;
      }
      std::string is_not = "elle n'est pas " + rels.front();
      if (rels.size() > 1) {
        is_not = "elle n'est";
        for (const auto& x : rels) is_not += " ni " + x;
      }
      return who + is_not + ", avant et après la modification";
    }
    if (why == "the role has no such right (docs/access.md)")
      return who + "le rôle n'a pas ce droit (docs/access.md)";
    return std::nullopt;
  }
  if (std::regex_match(text, m, field)) {
    std::string who = "à l'État";
    if (m[5].matched) {
      who = "aux rôles";
      const std::string roles = m[5].str();
      const char* sep = " ";
      for (size_t at = 0; at <= roles.size();) {
        size_t end = roles.find(", ", at);
        if (end == std::string::npos) end = roles.size();
        who.append(sep).append(term(roles.substr(at, end - at)));
        sep = ", ";
        at = end + 2;
      }
    }
    return fmt::format(
        "le rôle {} ne permet pas d'écrire le champ « {} » ({}) : il est réservé {} "
        "(docs/access.md)",
        term(m[1].str()), m[2].str(), term(m[3].str()), who);
  }
  if (std::regex_match(text, m, route))
    return fmt::format("le rôle {} ne permet pas d'appeler {} {}", term(m[1].str()), m[2].str(),
                       m[3].str());
  return std::nullopt;
}

constexpr size_t kMaxTranslatedText = 4096;

std::string to_french(const std::string& text) {
  // std::regex matches recursively, its depth growing with the text: a text longer than any
  // rule with its values is left as it is (a request cannot make the server overflow its stack).
  if (text.size() > kMaxTranslatedText) return text;
  if (text.starts_with("each item: ")) return "chaque élément : " + to_french(text.substr(11));
  if (auto fr = french_refusal(text)) return *fr;
  for (const auto& [re, fr] : french_texts()) {
    if (std::regex_match(text, re)) return std::regex_replace(text, re, fr);
  }
  return text;
}

}  // namespace

bool prefers_french(std::string_view accept_language) {
  // The first language range decides (the dashboard sends exactly one).
  while (!accept_language.empty() && accept_language.front() == ' ')
    accept_language.remove_prefix(1);
  if (accept_language.size() < 2) return false;
  const bool fr = (accept_language[0] == 'f' || accept_language[0] == 'F') &&
                  (accept_language[1] == 'r' || accept_language[1] == 'R');
  return fr && (accept_language.size() == 2 || accept_language[2] == '-' ||
                accept_language[2] == ',' || accept_language[2] == ';');
}

namespace {

// Each error's rule (and the message ending with it) in French.
void errors_to_french(Json& p) {
  if (p.contains("errors") && p["errors"].is_array()) {
    for (auto& e : p["errors"]) {
      if (!e.contains("rule") || !e["rule"].is_string()) continue;
      const std::string rule = e["rule"].get<std::string>();
      const std::string fr = to_french(rule);
      e["rule"] = fr;
      if (e.contains("message") && e["message"].is_string()) {
        std::string m = e["message"].get<std::string>();
        if (m.size() >= rule.size() && m.compare(m.size() - rule.size(), rule.size(), rule) == 0) {
          m.resize(m.size() - rule.size());
          m += fr;
        }
        static const std::regex kFieldValue(R"(field '([^']*)' value ')");
        m = std::regex_replace(m, kFieldValue, "champ '$1' valeur '");
        e["message"] = m;
      }
    }
  }
}

}  // namespace

void localise_problem(std::string_view accept_language, Response& res) {
  if (res.content_type != "application/problem+json" || !prefers_french(accept_language)) return;
  Json p = Json::parse(res.body, nullptr, false);
  if (p.is_discarded() || !p.is_object()) return;
  if (p.contains("status") && p["status"].is_number_integer()) {
    p["title"] = french_title(p["status"].get<int>());
  }
  if (p.contains("detail") && p["detail"].is_string()) {
    p["detail"] = to_french(p["detail"].get<std::string>());
  }
  errors_to_french(p);
  res.body = p.dump();
  res.set_header("Content-Language", "fr");
}

void localise_report_errors(std::string_view accept_language, Response& res) {
  if (res.content_type != "application/json" ||
      !prefers_french(res.language.empty() ? accept_language : std::string_view(res.language)))
    return;
  Json p = Json::parse(res.body, nullptr, false);
  if (p.is_discarded() || !p.is_object()) return;
  errors_to_french(p);
  res.body = p.dump();
  res.set_header("Content-Language", "fr");
}

void problem(Response& res, int status, std::string_view detail) {
  write(res, status, detail, nullptr);
}

int problem_status(const Status& s) {
  int status = http_status(s.code());
  if (s.code() == ErrorCode::kInvalidArgument) {
    // A body that is well-formed but breaks rules is 422; anything else (malformed JSON, a bad
    // query parameter, a bad cursor) is 400.
    bool body_rules = !s.field_errors().empty();
    for (const auto& fe : s.field_errors()) body_rules = body_rules && fe.file != "query";
    status = body_rules ? 422 : 400;
  }
  return status;
}

void problem(Response& res, const Status& s) {
  const int status = problem_status(s);
  if (status >= 500 && s.code() == ErrorCode::kInternal) {
    return write(res, status, "an internal error occurred; it has been logged", &s);
  }
  write(res, status, s.message(), &s);
}

}  // namespace poles::http
