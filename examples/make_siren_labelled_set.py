#!/usr/bin/python3
"""A labelled set for matching organisations to SIREN (docs/real-data.md).

Writes, into DIR:
  StockUniteLegale.csv     legal units in INSEE's StockUniteLegale layout (fictional firms,
                           plus natural persons and units closed to publication, which Pôles
                           must leave out)
  StockEtablissement.csv   their head offices (postcode, commune) in INSEE's layout
  organisation.csv         organisations as a directory knows them: the names perturbed the way
                           people write them (case, accents, legal forms, "Sté", "Ets",
                           abbreviations, typos, words swapped, acronyms), a département most of
                           the time, sometimes the activity and the founding year; some firms
                           are absent from SIRENE; homonyms live in other départements
  truth.json               {organisation id: the true SIREN or null}, written here, never by
                           Pôles

Deterministic for a seed. Usage: make_siren_labelled_set.py DIR [--units N] [--queries N]
[--seed S]. Everything is invented: no real firm, no person.
"""
import argparse
import csv
import json
import os
import random
import unicodedata

SURNAMES = """Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau
Vincent Muller Lefevre Faure Andre Mercier Blanc Guerin Boyer Garnier Chevalier Francois Legrand
Gauthier Garcia Perrin Robin Clement Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand
Duval Denis Dumont Marie Lemaire Noel Meyer Dufour Meunier Brun Blanchard Giraud Joly Riviere
Lucas Brunet Gaillard Barbier Arnaud Martinez Gerard Roche Renard Schmitt Roy Leroux Colin Vidal
Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre
Benoit Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger
Carpentier Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein
Jacquet Adam Paris Poirier Marty Aubry Guyot Carre Charles Renault Charpentier Menard Maillard
Baron Bertin Bailly Herve Schneider Fernandez Le Gall Collet Leger Bouvier Julien Prevost Millet
Perrot Daniel Le Roux Cousin Germain Breton Besson Langlois Remy Le Goff Pelletier Leveque Perrier
Leblanc Barre Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard
Gillet Etienne Grondin Poulain Tessier Chevallier Collin Chauvin Da Silva Bouchet Gay Lemaitre
Benard Marechal Humbert Reynaud Antoine Hoarau Perret Barthelemy Cordier Pichon Lejeune Gilbert
Lamy Delaunay Pasquier Carlier Laporte""".split()
ACTIVITIES = ["Usinage", "Électronique", "Mécanique", "Chaudronnerie", "Plasturgie", "Imprimerie",
              "Menuiserie", "Logistique", "Transports", "Ingénierie", "Conseil", "Informatique",
              "Énergies", "Robotique", "Composites", "Optique", "Biotechnologies", "Emballages",
              "Fonderie", "Décolletage", "Automatismes", "Matériaux", "Hydraulique", "Traitement",
              "Peinture", "Métallerie", "Télécom", "Diagnostics", "Analyses", "Environnement",
              "Agroalimentaire", "Textiles", "Céramiques", "Instruments", "Systèmes",
              "Technologies", "Solutions", "Services", "Industries", "Développement"]
PLACES = ["de l'Isère", "du Rhône", "de Bretagne", "du Var", "des Alpes", "de Provence",
          "du Nord", "de la Loire", "de l'Ouest", "d'Aquitaine", "du Centre", "de Savoie",
          "des Vosges", "de Normandie", "du Jura", "de Champagne", "d'Auvergne", "du Gard"]
ROOTS = ["nov", "ax", "tek", "vert", "lum", "sol", "hydr", "prism", "orb", "vect", "cyb", "ther",
         "kin", "lyn", "zen", "quant", "nex", "mat", "cell", "phot", "geo", "aer", "bio", "neo",
         "sigm", "opt", "dyn", "flux", "volt", "cris", "ocea", "terr", "silic", "carb", "poly"]
ENDINGS = ["ia", "is", "ys", "tek", "tech", "lab", "ium", "ix", "on", "ea", "era", "alis", "ance",
           "eo", "ity", "ens", "ova", "ion", "ane", "ette"]
FORMS = ["SAS", "SARL", "SA", "SASU", "EURL", ""]
FORM_SPELLINGS = {"SAS": ["S.A.S.", "sas", "Société par actions simplifiée"],
                  "SARL": ["S.A.R.L.", "sarl", "Société à responsabilité limitée"],
                  "SA": ["S.A.", "Société anonyme"], "SASU": ["S.A.S.U."], "EURL": ["E.U.R.L."]}
DEPARTMENTS = [f"{d:02d}" for d in range(1, 96) if d != 20]
NAFS = ["25.62A", "26.11Z", "28.99B", "25.11Z", "22.29A", "18.12Z", "16.23Z", "52.29A", "49.41A",
        "71.12B", "70.22Z", "62.01Z", "35.11Z", "28.41Z", "20.16Z", "26.70Z", "72.11Z", "17.21A",
        "24.51Z", "25.62B", "33.20C", "20.59Z", "28.12Z", "25.61Z", "20.30Z", "61.10Z", "71.20B",
        "39.00Z", "10.89Z", "13.20Z", "23.41Z", "26.51B", "72.19Z", "46.69B"]


def luhn_siren(rng, used):
    while True:
        body = [rng.randint(0, 9) for _ in range(8)]
        if body[0] == 0:
            continue
        for check in range(10):
            digits = body + [check]
            total = 0
            for i, d in enumerate(reversed(digits)):
                if i % 2 == 1:
                    d *= 2
                    if d > 9:
                        d -= 9
                total += d
            if total % 10 == 0:
                s = "".join(map(str, digits))
                if s not in used:
                    used.add(s)
                    return s
                break


def coined(rng):
    return (rng.choice(ROOTS) + rng.choice(ENDINGS)).capitalize()


def firm_name(rng):
    r = rng.random()
    if r < 0.35:
        core = f"{rng.choice(SURNAMES)} {rng.choice(ACTIVITIES)}"
    elif r < 0.6:
        core = f"{coined(rng)} {rng.choice(ACTIVITIES)}"
    elif r < 0.8:
        core = f"{rng.choice(ACTIVITIES)} {rng.choice(PLACES)}"
        if rng.random() < 0.5:
            core = f"{rng.choice(SURNAMES)} {core}"
    elif r < 0.9:
        core = f"Établissements {rng.choice(SURNAMES)} et Fils"
    else:
        core = f"{coined(rng)} {rng.choice(SURNAMES)}"
    return core


def strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def typo(rng, s):
    words = s.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return s
    i = rng.choice(long_words)
    w = words[i]
    p = rng.randint(1, len(w) - 2)
    kind = rng.random()
    if kind < 0.4:
        w = w[:p] + w[p + 1:]
    elif kind < 0.7:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    else:
        w = w[:p] + rng.choice("aeiourstnl") + w[p + 1:]
    words[i] = w
    return " ".join(words)


def perturb(rng, name, form, acronym):
    """The name as a directory writes it, and what was done."""
    done = []
    s = name
    if acronym and rng.random() < 0.05:
        return acronym, ["acronym"]
    if rng.random() < 0.5 and form:
        s = f"{s} {rng.choice(FORM_SPELLINGS.get(form, [form]))}"
        done.append("form")
    if rng.random() < 0.08:
        s = "Sté " + s if rng.random() < 0.5 else "Société " + s
        done.append("societe")
    if "Établissements" in s and rng.random() < 0.5:
        s = s.replace("Établissements", "Ets")
        done.append("ets")
    if " et " in s and rng.random() < 0.3:
        s = s.replace(" et ", " & ")
        done.append("ampersand")
    if rng.random() < 0.15:
        s = typo(rng, s)
        done.append("typo")
    words = s.split(" ")
    if len(words) == 2 and rng.random() < 0.05:
        s = f"{words[1]} {words[0]}"
        done.append("swap")
    r = rng.random()
    if r < 0.3:
        s = s.upper()
        done.append("upper")
    elif r < 0.5:
        s = strip_accents(s)
        done.append("accents")
    elif r < 0.6:
        s = s.lower()
        done.append("lower")
    return s, done


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--units", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261130)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.dir, exist_ok=True)
    used = set()
    units = []
    seen = set()
    while len(units) < a.units:
        name = firm_name(rng)
        dep = rng.choice(DEPARTMENTS)
        key = (strip_accents(name).upper(), dep)
        if key in seen:
            continue
        seen.add(key)
        form = rng.choice(FORMS)
        words = [w for w in strip_accents(name).upper().replace("'", " ").split() if len(w) > 2]
        acronym = "".join(w[0] for w in words) if len(words) >= 3 and rng.random() < 0.3 else ""
        units.append({"siren": luhn_siren(rng, used), "name": name, "form": form, "dep": dep,
                      "commune": dep + f"{rng.randint(1, 400):03d}",
                      "postcode": dep + f"{rng.randint(0, 9)}{rng.randint(0, 9)}0",
                      "naf": rng.choice(NAFS), "created": rng.randint(1950, 2024),
                      "acronym": acronym, "active": rng.random() > 0.05,
                      "category": rng.choice(["PME", "PME", "PME", "ETI", "GE", ""]),
                      "band": rng.choice(["00", "01", "02", "03", "11", "12", "21", "22", "31",
                                          "32", "41", "51", "NN", ""])})
        # Homonyms: the same name in another département, another firm.
        if rng.random() < 0.05 and len(units) < a.units:
            other = dict(units[-1])
            other["siren"] = luhn_siren(rng, used)
            other["dep"] = rng.choice([d for d in DEPARTMENTS if d != units[-1]["dep"]])
            other["commune"] = other["dep"] + f"{rng.randint(1, 400):03d}"
            other["postcode"] = other["dep"] + "000"
            other["naf"] = rng.choice(NAFS)
            other["acronym"] = ""
            seen.add((strip_accents(name).upper(), other["dep"]))
            units.append(other)
    ul_header = ("siren,statutDiffusionUniteLegale,unitePurgeeUniteLegale,dateCreationUniteLegale,"
                 "sigleUniteLegale,sexeUniteLegale,prenom1UniteLegale,prenom2UniteLegale,"
                 "prenom3UniteLegale,prenom4UniteLegale,prenomUsuelUniteLegale,"
                 "pseudonymeUniteLegale,identifiantAssociationUniteLegale,"
                 "trancheEffectifsUniteLegale,anneeEffectifsUniteLegale,"
                 "dateDernierTraitementUniteLegale,nombrePeriodesUniteLegale,categorieEntreprise,"
                 "anneeCategorieEntreprise,dateDebut,etatAdministratifUniteLegale,nomUniteLegale,"
                 "nomUsageUniteLegale,denominationUniteLegale,denominationUsuelle1UniteLegale,"
                 "denominationUsuelle2UniteLegale,denominationUsuelle3UniteLegale,"
                 "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,"
                 "nomenclatureActivitePrincipaleUniteLegale,nicSiegeUniteLegale,"
                 "economieSocialeSolidaireUniteLegale,societeMissionUniteLegale,"
                 "caractereEmployeurUniteLegale").split(",")
    legal_form = {"SAS": "5710", "SARL": "5499", "SA": "5599", "SASU": "5720", "EURL": "5498",
                  "": "5710"}
    with open(os.path.join(a.dir, "StockUniteLegale.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ul_header)
        w.writeheader()
        for u in units:
            w.writerow({"siren": u["siren"], "statutDiffusionUniteLegale": "O",
                        "unitePurgeeUniteLegale": "",
                        "dateCreationUniteLegale": f"{u['created']}-0{rng.randint(1, 9)}-15",
                        "sigleUniteLegale": u["acronym"], "trancheEffectifsUniteLegale": u["band"],
                        "anneeEffectifsUniteLegale": "2022" if u["band"] else "",
                        "categorieEntreprise": u["category"],
                        "anneeCategorieEntreprise": "2022" if u["category"] else "",
                        "dateDebut": "2020-01-01",
                        "etatAdministratifUniteLegale": "A" if u["active"] else "C",
                        "denominationUniteLegale": strip_accents(u["name"]).upper()
                        + (" " + u["form"] if u["form"] and rng.random() < 0.3 else ""),
                        "categorieJuridiqueUniteLegale": legal_form[u["form"]],
                        "activitePrincipaleUniteLegale": u["naf"],
                        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
                        "nicSiegeUniteLegale": "00012", "caractereEmployeurUniteLegale": "O"})
        # Natural persons and a unit closed to publication: never stored.
        for i in range(3):
            w.writerow({"siren": luhn_siren(rng, used), "statutDiffusionUniteLegale": "O",
                        "sexeUniteLegale": "M", "prenom1UniteLegale": "JEAN",
                        "nomUniteLegale": "PERSONNE FICTIVE", "categorieJuridiqueUniteLegale": "1000",
                        "etatAdministratifUniteLegale": "A"})
        w.writerow({"siren": luhn_siren(rng, used), "statutDiffusionUniteLegale": "P",
                    "denominationUniteLegale": "[ND]", "categorieJuridiqueUniteLegale": "5710",
                    "etatAdministratifUniteLegale": "A"})
    et_header = ("siren,nic,siret,statutDiffusionEtablissement,dateCreationEtablissement,"
                 "trancheEffectifsEtablissement,anneeEffectifsEtablissement,"
                 "activitePrincipaleRegistreMetiersEtablissement,"
                 "dateDernierTraitementEtablissement,etablissementSiege,"
                 "nombrePeriodesEtablissement,complementAdresseEtablissement,"
                 "numeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,"
                 "codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,"
                 "etatAdministratifEtablissement,activitePrincipaleEtablissement").split(",")
    with open(os.path.join(a.dir, "StockEtablissement.csv"), "w", newline="",
              encoding="utf-8") as f:
        w = csv.DictWriter(f, et_header)
        w.writeheader()
        for u in units:
            w.writerow({"siren": u["siren"], "nic": "00012", "siret": u["siren"] + "00012",
                        "statutDiffusionEtablissement": "O", "etablissementSiege": "true",
                        "codePostalEtablissement": u["postcode"],
                        "codeCommuneEtablissement": u["commune"],
                        "etatAdministratifEtablissement": "A" if u["active"] else "F",
                        "activitePrincipaleEtablissement": u["naf"]})
            if rng.random() < 0.2:  # a secondary establishment elsewhere
                d = rng.choice(DEPARTMENTS)
                w.writerow({"siren": u["siren"], "nic": "00020", "siret": u["siren"] + "00020",
                            "statutDiffusionEtablissement": "O", "etablissementSiege": "false",
                            "codePostalEtablissement": d + "100",
                            "codeCommuneEtablissement": d + "100",
                            "etatAdministratifEtablissement": "A",
                            "activitePrincipaleEtablissement": u["naf"]})
    truth = {}
    rows = []
    chosen = rng.sample(range(len(units)), min(a.queries, len(units)))
    absent = max(1, a.queries // 10)
    for n, i in enumerate(chosen):
        oid = f"annuaire:q{n:05d}"
        if n < absent:
            # A firm SIRENE does not know: a name made the same way, absent from the units.
            while True:
                name = firm_name(rng)
                if all((strip_accents(name).upper(), d) not in seen for d in DEPARTMENTS):
                    break
            dep = rng.choice(DEPARTMENTS)
            truth[oid] = None
            row = {"id": oid, "name": perturb(rng, name, rng.choice(FORMS), "")[0],
                   "department": dep if rng.random() < 0.9 else ""}
        else:
            u = units[i]
            truth[oid] = u["siren"]
            row = {"id": oid, "name": perturb(rng, u["name"], u["form"], u["acronym"])[0],
                   "department": u["dep"] if rng.random() < 0.9 else ""}
            if rng.random() < 0.5:
                row["naf"] = u["naf"]
            if rng.random() < 0.3:
                row["founded"] = str(u["created"])
        row["kind"] = "company"
        rows.append(row)
    with open(os.path.join(a.dir, "organisation.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ["id", "name", "kind", "department", "naf", "founded"])
        w.writeheader()
        for r in rows:
            w.writerow(r)
    with open(os.path.join(a.dir, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
