#!/usr/bin/python3
"""Writes a fictional cluster's member directory as a real analyst gets it: exported from a
cluster's website or CRM, in French, with the usual quirks — member types as French labels,
membership dates as dd/mm/yyyy (and a few ISO or "1er mars 2021"), postcodes that lost their
leading zero in a spreadsheet, headcounts with French thousands separators or "NC", SIRENs with
spaces or missing, a blank row, duplicated members — and a few rows a careful import must refuse.

Every name is made up (no personal data). Deterministic: the same seed writes the same files.

  make_member_directory.py OUT_DIR [--rows N] [--seed S] [--xlsx]

writes OUT_DIR/annuaire.csv (';'-separated, UTF-8 with BOM, as Excel saves it), with --xlsx
OUT_DIR/annuaire.xlsx (the same rows through openpyxl: dates as date cells, postcodes and
headcounts as numbers, as a spreadsheet holds them), and OUT_DIR/expected.json: what an import
through examples/mappings/member-directory.toml must give, written from what this script planted
(independently of the importer): the refused rows with the field at fault, and every accepted
organisation and membership.
"""
import argparse
import json
import os
import random
import re
import unicodedata
from datetime import date

HEADER = ["Raison sociale", "Sigle", "Type de membre", "SIREN", "Date d'adhésion", "Adresse",
          "Code postal", "Ville", "Effectif", "Thématiques", "Marchés", "Site web"]

# label -> (organisation kind, size class or "")
TYPES = {
    "PME": ("company", "pme"), "TPE": ("company", "tpe"), "Start-up": ("company", "tpe"),
    "ETI": ("company", "eti"), "Grand Groupe": ("company", "ge"),
    "Etab. ESR": ("higher_education", ""), "Laboratoire": ("research", ""),
    "Collectivité": ("public_body", ""), "Banque & Investisseur": ("funder", ""),
    "Organisme de développement économique": ("public_body", ""),
    "Centre de formation": ("training", ""), "Association": ("association", ""),
}
# How the same label is typed in different rows (case, accents, spaces).
VARIANTS = {"PME": ["PME", "pme", "P.M.E"], "Grand Groupe": ["Grand Groupe", "Grand groupe", "GRAND GROUPE"],
            "Collectivité": ["Collectivité", "Collectivite"], "Etab. ESR": ["Etab. ESR", "Étab. ESR", "Etab.  ESR"]}

PLACES = [("31", "Toulouse"), ("33", "Bordeaux"), ("64", "Pau"), ("65", "Tarbes"), ("81", "Albi"),
          ("82", "Montauban"), ("09", "Foix"), ("01", "Bourg-en-Bresse"), ("06", "Nice"),
          ("13", "Marseille"), ("69", "Lyon"), ("75", "Paris"), ("92", "Nanterre"), ("2A", "Ajaccio"),
          ("2B", "Bastia"), ("974", "Saint-Denis"), ("38", "Grenoble"), ("44", "Nantes")]
STEMS = ["Aéro", "Techno", "Bio", "Nano", "Hydro", "Agro", "Cyber", "Photon", "Robo", "Therm",
         "Cristal", "Sol", "Vélo", "Géo", "Opti", "Ciel", "Éole", "Azur", "Micro", "Quanti"]
ENDS = ["tech", "systèmes", "médical", "logic", "motion", "fluides", "sens", "composites",
        "énergie", "data", "process", "mécanique", "lab", "vision", "structures", "drones"]
FORMS = ["SAS", "SA", "SARL", "", "SASU"]
STREETS = ["rue des Pins", "avenue Jean Jaurès", "chemin de la Plaine", "boulevard de l'Europe",
           "allée des Sciences", "rue de l'Innovation", "impasse du Moulin"]
THEMES = ["Drones", "Spatial", "Défense", "Matériaux", "Usine du futur", "Énergie", "Santé", "IA"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def as_list(text):
    """'Drones; Spatial' -> 'Drones|Spatial': the items of a list cell, '|'-separated."""
    return "|".join(t.strip() for t in re.split(r"[;,|]", text) if t.strip())


def slug(text):
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", ascii_)).strip("-")[:100]


def luhn_siren(rng):
    digits = [rng.randrange(10) for _ in range(8)]
    digits[0] = rng.randrange(1, 10)
    for check in range(10):
        body = digits + [check]
        total = 0
        for i, d in enumerate(reversed(body)):
            d = d * 2 if i % 2 == 1 else d
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return "".join(map(str, body))
    raise AssertionError


def postcode(rng, dep):
    if dep == "2A":
        return "20" + str(rng.choice([0, 1])) + f"{rng.randrange(100):02d}"
    if dep == "2B":
        return "20" + str(rng.choice([2, 6])) + f"{rng.randrange(100):02d}"
    if len(dep) == 3:
        return dep + f"{rng.randrange(100):02d}"
    return dep + f"{rng.randrange(1000):03d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=431)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--xlsx", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    members, names = [], set()
    while len(members) < a.rows:
        label = rng.choices(list(TYPES), weights=[30, 12, 8, 8, 6, 6, 5, 4, 3, 3, 2, 3])[0]
        kind, size = TYPES[label]
        dep, city = rng.choice(PLACES)
        if kind == "company":
            name = f"{rng.choice(STEMS)}{rng.choice(ENDS)} {rng.choice(FORMS)}".strip()
        elif kind == "higher_education":
            name = f"École supérieure d'ingénieurs de {city} {rng.randrange(1, 9)}"
        elif kind == "research":
            name = f"Laboratoire {rng.choice(STEMS)}{rng.choice(ENDS)} de {city}"
        elif kind == "public_body":
            name = f"Agence de développement de {city} {rng.choice(STEMS)}"
        elif kind == "funder":
            name = f"Banque {rng.choice(STEMS)} {city}"
        else:
            name = f"{rng.choice(['Association', 'Centre de formation'])} {rng.choice(STEMS)}{rng.choice(ENDS)}"
        if slug(name) in names:
            continue
        names.add(slug(name))
        joined = date(2006 + rng.randrange(19), 1 + rng.randrange(12), 1 + rng.randrange(28))
        siren = luhn_siren(rng) if kind == "company" and rng.random() < 0.45 else ""
        headcount = ""
        if kind == "company":
            headcount = {"tpe": rng.randrange(1, 10), "pme": rng.randrange(10, 250),
                         "eti": rng.randrange(250, 5000), "ge": rng.randrange(5000, 60000)}[size]
        members.append(dict(label=label, kind=kind, size=size, name=name, dep=dep, city=city,
                            joined=joined, siren=siren, headcount=headcount,
                            postcode=postcode(rng, dep), refuse=None))

    # Planted defects, each on its own row (the field at fault, for expected.json).
    plan = [("type", "Adhérent d'honneur"), ("type", "Partenaire"), ("date", "31/02/2020"),
            ("date", "15/13/2021"), ("postcode", "750"), ("siren", "ETIENNE"), ("siren", "X"),
            ("siren", "123456789")]
    picks = rng.sample(range(10, len(members) - 10), len(plan))
    for (what, value), i in zip(plan, picks):
        m = members[i]
        m["refuse"] = {"type": "kind", "date": "start_date", "postcode": "department",
                       "siren": "siren"}[what]
        if what == "type":
            m["label"] = value
        elif what == "date":
            m["bad_date"] = value
        elif what == "postcode":
            m["postcode"] = value
        else:
            m["kind"], m["size"], m["label"] = "company", "pme", "PME"
            m["siren"] = value

    # Websites as directories write them: with their scheme, as a bare host, or not at all (a
    # stream of its own, so that the other cells do not depend on it).
    site_rng = random.Random(a.seed + 1)

    def site(name):
        host = f"www.{slug(name)}.example"
        return site_rng.choices([f"https://{host}", host, "non communiqué"], [7, 2, 1])[0]

    rows = []  # (cells, member or None, duplicate_of)
    for m in members:
        label = rng.choice(VARIANTS.get(m["label"], [m["label"]]))
        j = m["joined"]
        style = rng.random()
        if "bad_date" in m:
            joined = m["bad_date"]
        elif style < 0.8:
            joined = j.strftime("%d/%m/%Y")
        elif style < 0.9:
            joined = j.isoformat()
        else:
            joined = ("1er" if j.day == 1 else str(j.day)) + f" {MONTHS[j.month - 1]} {j.year}"
        pc = m["postcode"]
        if pc.startswith("0") and len(pc) == 5:
            pc = pc[1:]  # the leading zero a spreadsheet drops
        siren = m["siren"]
        if len(siren) == 9 and siren.isdigit() and rng.random() < 0.5:
            siren = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
        head = m["headcount"]
        if head != "" and head >= 1000:
            head = f"{head:,}".replace(",", "\u00a0")  # 1 250 with a no-break space
        elif head != "" and rng.random() < 0.1:
            head = "NC"
        themes = "; ".join(rng.sample(THEMES, rng.randrange(1, 4)))
        acronym = "".join(w[0] for w in m["name"].split() if w[0].isupper())[:6]
        cells = [m["name"], acronym, label, siren, joined,
                 f"{rng.randrange(1, 120)} {rng.choice(STREETS)}", pc, m["city"], str(head),
                 themes, rng.choice(["Aéronautique | Espace", "Défense", "Santé, Énergie"]),
                 site(m["name"])]
        rows.append((cells, m, None))
    # Duplicates: three members listed twice (the later copy is refused), one of them with its
    # name typed in capitals without accents (the same identifier once normalised).
    originals = [rows[i] for i in rng.sample(
        [i for i, m in enumerate(members) if m["refuse"] is None and not m["siren"]], 3)]
    for k, orig in enumerate(originals):
        cells = list(orig[0])
        if k == 0:
            cells[0] = unicodedata.normalize("NFKD", cells[0]).encode("ascii", "ignore").decode().upper()
        at = next(n for n, r in enumerate(rows) if r is orig)
        rows.insert(rng.randrange(at + 1, len(rows) + 1), (cells, None, at))
    blank_at = rng.randrange(50, len(rows) - 50)
    rows.insert(blank_at, ([""] * len(HEADER), None, "blank"))

    with open(os.path.join(a.out, "annuaire.csv"), "w", encoding="utf-8-sig", newline="") as f:
        def q(c):
            return '"' + c.replace('"', '""') + '"' if (";" in c or '"' in c) else c
        f.write(";".join(HEADER) + "\r\n")
        for cells, _, _ in rows:
            f.write(";".join(q(c) for c in cells) + "\r\n")

    # Expected outcome, from the plan above. Line numbers: the header is line 1 (no cell holds a
    # line break, so CSV lines and sheet rows agree).
    expected = {"rows": len(rows) - 1, "blank": 1, "refused": {}, "organisations": {},
                "memberships": []}
    for n, (cells, m, dup) in enumerate(rows, start=2):
        if dup == "blank":
            continue
        if m is None:
            expected["refused"][str(n)] = "id"
            continue
        if m["refuse"]:
            expected["refused"][str(n)] = m["refuse"]
            continue
        oid = f"siren:{m['siren']}" if m["siren"] else f"annuaire:{slug(m['name'])}"
        expected["organisations"][oid] = {
            "name": m["name"], "kind": m["kind"], "size_class": m["size"],
            "siren": m["siren"], "department": m["dep"],
            "headcount": "" if cells[8] in ("", "NC") else str(m["headcount"]),
            "acronym": cells[1], "address": cells[5], "postcode": m["postcode"], "city": cells[7],
            "website": "" if cells[11] == "non communiqué" else
            cells[11] if cells[11].startswith("https://") else "https://" + cells[11],
            "themes": as_list(cells[9]), "markets": as_list(cells[10])}
        expected["memberships"].append({"organisation_id": oid, "start_date": m["joined"].isoformat()})
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1, sort_keys=True)

    if a.xlsx:
        import openpyxl
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Adhérents"
        ws.append(HEADER)
        for cells, m, dup in rows:
            out = list(cells)
            if dup != "blank":
                if re.fullmatch(r"\d{2}/\d{2}/\d{4}", out[4]) and m is not None and "bad_date" not in m:
                    out[4] = m["joined"]  # a date cell
                if out[6].isdigit():
                    out[6] = int(out[6])  # postcodes as numbers
                digits = out[8].replace("\u00a0", "")
                if digits.isdigit():
                    out[8] = int(digits)
            else:
                out = [None] * len(HEADER)
            ws.append(out)
            if dup != "blank" and isinstance(out[4], date):
                ws.cell(row=ws.max_row, column=5).number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
        wb.save(os.path.join(a.out, "annuaire.xlsx"))


if __name__ == "__main__":
    main()
