#!/usr/bin/env python3
"""Writes examples/unge-2026-sample.csv: invented answers of young people aged 15–25 for the
second example codebook (examples/unge.codebook.yaml). Deterministic: the same file every run.
Run from the repository root: python3 examples/gen-unge.py"""

import csv
import random

MUNICIPALITIES = [("Aarhus", 480), ("Odense", 420), ("Silkeborg", 260),
                  ("Viborg", 240), ("Næstved", 230), ("Hjørring", 190)]


def pick(rng, weights):
    return rng.choices(range(1, len(weights) + 1), weights=weights)[0]


def main():
    rng = random.Random(2026)
    with open("examples/unge-2026-sample.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["id", "kommune", "uddannelsessted", "koen", "aldersgruppe", "uddannelse",
                      "u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08"])
        n = 0
        for name, count in MUNICIPALITIES:
            mood = rng.gauss(0, 0.3)
            for _ in range(count):
                n += 1
                gender = pick(rng, [48, 49, 3])
                age = pick(rng, [40, 38, 22])
                education = pick(rng, [55, 30, 15] if age < 3 else [25, 35, 40])
                place = {1: f"{name} Gymnasium", 2: f"{name} Erhvervsskole"}.get(education, "")
                if education == 1 and rng.random() < 0.4:
                    place = f"{name} HF"
                low = rng.gauss(mood, 1)
                row = [f"U{n:05d}", name, place,
                       "" if rng.random() < 0.02 else gender,
                       "" if rng.random() < 0.02 else age,
                       "" if rng.random() < 0.02 else education]
                row.append(pick(rng, [30, 40, 18, 8, 4]) if low < 1.2 else pick(rng, [5, 20, 35, 25, 15]))
                row.append(pick(rng, [22 + 6 * (gender == 2), 40, 25, 13]))
                row.append(98 if rng.random() < 0.02 else pick(rng, [4, 8, 30, 58] if low < 1 else [15, 20, 35, 30]))
                row.append(pick(rng, [60 - 10 * (education == 3), 40]))
                hours = max(3.0, min(12.0, rng.gauss(7.2 - 0.3 * (age - 1), 1.1)))
                row.append(f"{hours:.1f}".replace(".", ",") if rng.random() > 0.03 else 98)
                row.append(pick(rng, [40 - 12 * (age - 1), 25, 25, 10 + 6 * (age - 1)]))
                row.append(pick(rng, [12 + 6 * (education == 2), 88]))
                row.append(99 if rng.random() < 0.03 else pick(rng, [10 + 6 * (age - 1), 90]))
                if rng.random() < 0.03:
                    row[-3:] = ["", "", ""]
                out.writerow(row)


if __name__ == "__main__":
    main()
