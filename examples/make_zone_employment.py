#!/usr/bin/python3
"""Writes an employment table by zone d'emploi × NAF section (A21), wide by year, as a public
source publishes it — one row per zone and sector, sectors by their French titles, an "Ensemble"
row per zone (all sectors), numbers with French thousands separators, zone codes that lost their
leading zero in a spreadsheet ("53" for 0053), secret cells written "s" — and the referential of
the zones it uses (INSEE's ZE2020 codes and names, their region).

The zones are real ZE2020 zones (codes and names as INSEE publishes them); the jobs are made up.
Deterministic: the same seed writes the same files.

  make_zone_employment.py OUT_DIR [--seed S]

writes OUT_DIR/zones.csv (the referential: ZE2020;LIBZE2020;REG), OUT_DIR/emploi-ze-a21.csv and
OUT_DIR/expected.json: from the figures this script planted (independently of the importer), the
rows an import through examples/mappings/employment-zone-a21.toml must store, and the location
quotient of every published zone × sector cell of every year, LQ = (e_zs / e_z) / (E_s / E), where
e_z is the zone's "Ensemble" row, E_s the sum of the sector's published cells over the zones and E
the sum of the zones' "Ensemble" rows.
"""
import argparse
import csv
import json
import os
import random

# Real zones d'emploi 2020 (INSEE): code, name, region (the dominant one for the "00" zones that
# straddle regions).
ZONES = [
    ("0051", "Alençon", "28"), ("0052", "Arles", "93"), ("0053", "Avignon", "93"),
    ("0054", "Beauvais", "32"), ("0101", "Côte sous le vent", "01"),
    ("0104", "Région Pointoise", "01"), ("1101", "Cergy-Vexin", "11"),
    ("1102", "Coulommiers", "11"), ("1103", "Etampes", "11"),
]

# NAF rev. 2 sections (A21) as INSEE titles them.
SECTIONS = [
    ("A", "Agriculture, sylviculture et pêche"), ("B", "Industries extractives"),
    ("C", "Industrie manufacturière"),
    ("D", "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné"),
    ("E", "Production et distribution d'eau ; assainissement, gestion des déchets et dépollution"),
    ("F", "Construction"), ("G", "Commerce ; réparation d'automobiles et de motocycles"),
    ("H", "Transports et entreposage"), ("I", "Hébergement et restauration"),
    ("J", "Information et communication"), ("K", "Activités financières et d'assurance"),
    ("L", "Activités immobilières"), ("M", "Activités spécialisées, scientifiques et techniques"),
    ("N", "Activités de services administratifs et de soutien"), ("O", "Administration publique"),
    ("P", "Enseignement"), ("Q", "Santé humaine et action sociale"),
    ("R", "Arts, spectacles et activités récréatives"), ("S", "Autres activités de services"),
    ("T", "Activités des ménages en tant qu'employeurs"), ("U", "Activités extra-territoriales"),
]
YEARS = [2019, 2020, 2021, 2022]


def french(n):
    """12345 -> '12 345' (a no-break space, as spreadsheets write it, on some rows)."""
    return f"{n:,}".replace(",", "\u00a0" if n % 3 == 0 else " ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20261130)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    with open(os.path.join(a.out, "zones.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("ZE2020;LIBZE2020;REG\n")
        for code, name, reg in ZONES:
            f.write(f"{code};{name};{reg}\n")

    # jobs[zone][section][year]; None: secret. A zone's total counts every job, secret or not.
    jobs, total = {}, {}
    for code, _, _ in ZONES:
        size = rng.randint(15_000, 180_000)
        weights = {s: rng.uniform(0.2, 1.0) * (8 if s in "GQO" else 4 if s in "CFNM" else 1)
                   for s, _ in SECTIONS}
        weights["U"] = 0.01
        weights["T"] = 0.05
        special = rng.choice("CHJM")  # the zone's specialisation
        weights[special] *= 3
        w = sum(weights.values())
        jobs[code], total[code] = {}, {}
        for s, _ in SECTIONS:
            base = size * weights[s] / w
            growth = rng.uniform(-0.03, 0.05)
            jobs[code][s] = {y: int(round(base * (1 + growth) ** (y - YEARS[0]) * rng.uniform(0.98, 1.02)))
                             for y in YEARS}
        for y in YEARS:
            total[code][y] = sum(jobs[code][s][y] for s, _ in SECTIONS)
        # Small cells are secret (fewer than 30 jobs), and a few more at random.
        for s, _ in SECTIONS:
            for y in YEARS:
                if jobs[code][s][y] < 30 or rng.random() < 0.02:
                    jobs[code][s][y] = None

    rows = 0
    with open(os.path.join(a.out, "emploi-ze-a21.csv"), "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";", lineterminator="\n")  # quotes the titles holding ";"
        out.writerow(["Zone d'emploi", "Libellé de la zone", "Secteur d'activité"] + YEARS)
        for code, name, _ in ZONES:
            shown = code.lstrip("0") if code.startswith("0") else code  # the lost leading zeros
            for s, title in SECTIONS:
                cells = ["s" if jobs[code][s][y] is None else french(jobs[code][s][y]) for y in YEARS]
                rows += sum(c != "s" for c in cells)
                out.writerow([shown, name, title] + cells)
            out.writerow([shown, name, "Ensemble"] + [french(total[code][y]) for y in YEARS])
            rows += len(YEARS)

    lq = {}
    for y in YEARS:
        e = sum(total[z][y] for z, _, _ in ZONES)
        for s, _ in SECTIONS:
            es = sum(jobs[z][s][y] for z, _, _ in ZONES if jobs[z][s][y] is not None)
            for z, _, _ in ZONES:
                v = jobs[z][s][y]
                if v is None or es == 0:
                    continue
                lq[f"{z}|{s}|{y}"] = (v / total[z][y]) / (es / e)
    with open(os.path.join(a.out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"zones": len(ZONES), "rows": rows, "years": YEARS, "lq": lq}, f, indent=1,
                  sort_keys=True)


if __name__ == "__main__":
    main()
