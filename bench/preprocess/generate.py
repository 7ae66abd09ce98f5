#!/usr/bin/env python3
"""Writes a large song CSV for benchmarks: real rows of ../shared/data/hit-predictor resampled with
small jitter and fresh uris, plus a decade column. Deterministic for a given seed. Stdlib only.

usage: generate.py ROWS OUTPUT.csv [--seed 7]
About 1 % of rows are made invalid (out-of-range energy, blank tempo) and 1 % are exact duplicates,
so the cleaner's reject and duplicate paths are exercised at scale too.
"""
import argparse
import csv
import glob
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "hit-predictor")
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def load_rows():
    rows = []
    for path in sorted(glob.glob(os.path.join(DATA, "dataset-of-*.csv"))):
        decade = os.path.basename(path)[len("dataset-of-"):len("dataset-of-") + 2]
        year = 2000 + int(decade) if int(decade) <= 20 else 1900 + int(decade)
        with open(path, newline="", encoding="utf-8-sig") as f:
            for row in csv.DictReader(f):
                row["decade"] = str(year)
                rows.append(row)
    if not rows:
        raise SystemExit(f"no decade files found in {DATA}")
    return rows


def jitter(rng, value, low, high, scale):
    return min(high, max(low, value + rng.uniform(-scale, scale)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("output")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = load_rows()
    columns = list(source[0].keys())
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        previous = None
        for i in range(args.rows):
            roll = rng.random()
            if previous is not None and roll < 0.01:
                writer.writerow(previous)
                continue
            row = dict(rng.choice(source))
            row["uri"] = "spotify:track:" + "".join(rng.choice(BASE62) for _ in range(22))
            for name in ("danceability", "energy", "valence", "acousticness", "liveness"):
                row[name] = f"{jitter(rng, float(row[name]), 0.0, 1.0, 0.02):.4g}"
            row["tempo"] = f"{jitter(rng, float(row['tempo']), 0.0, 300.0, 2.0):.3f}"
            if roll > 0.995:
                row["energy"] = "1.7"
            elif roll > 0.99:
                row["tempo"] = ""
            values = [row[c] for c in columns]
            writer.writerow(values)
            previous = values


if __name__ == "__main__":
    main()
