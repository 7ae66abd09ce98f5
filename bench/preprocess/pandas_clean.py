#!/usr/bin/env python3
"""The pandas peer of ChartBuster's preprocess command: the same rules, duplicate handling and
engineered features, written the idiomatic vectorized way. Used only by run.sh to compare.

usage: pandas_clean.py INPUT.csv OUTPUT_DIR
"""
import json
import os
import re
import sys

import numpy as np
import pandas as pd

RULES = [  # column, min, max, whole number
    ("danceability", 0, 1, False), ("energy", 0, 1, False), ("key", -1, 11, True),
    ("loudness", -60, 10, False), ("mode", 0, 1, True), ("speechiness", 0, 1, False),
    ("acousticness", 0, 1, False), ("instrumentalness", 0, 1, False), ("liveness", 0, 1, False),
    ("valence", 0, 1, False), ("tempo", 0, 300, False), ("duration_ms", 1, 6 * 3_600_000, True),
    ("time_signature", 0, 7, True), ("chorus_hit", 0, 6 * 3_600, False), ("sections", 0, 10_000, True),
    ("target", 0, 1, True),
]
RAW = [r[0] for r in RULES[:-1]]
TEXT = ["track", "artist", "uri"]


def file_decade(path):
    m = re.search(r"(?<![0-9])([0-9]{4}|[0-9]{2})s(?![a-z])", os.path.basename(path), re.I)
    if not m:
        return None
    year = int(m.group(1))
    if len(m.group(1)) == 2:
        year += 2000 if year <= 20 else 1900
    return year


def add_engineered(frame, n):
    """Adds the engineered features of the numbers n (column name -> Series) to frame, in ready.csv's order."""
    minutes = n["duration_ms"] / 60_000
    frame["duration_min"] = minutes
    frame["log_duration_min"] = np.log(minutes)
    frame["log_speechiness"] = np.log(n["speechiness"] + 0.01)
    frame["log_liveness"] = np.log(n["liveness"] + 0.01)
    frame["log_acousticness"] = np.log(n["acousticness"] + 0.001)
    frame["log_instrumentalness"] = np.log(n["instrumentalness"] + 0.0001)
    frame["is_instrumental"] = (n["instrumentalness"] > 0.5).astype(int)
    frame["beat_detected"] = ((n["tempo"] > 0) & (n["time_signature"] > 0)).astype(int)
    frame["chorus_position"] = n["chorus_hit"] / (n["duration_ms"] / 1000)
    frame["sections_per_minute"] = n["sections"] / minutes
    frame["dance_energy"] = n["danceability"] * n["energy"]
    frame["happy_energy"] = n["valence"] * n["energy"]


def main(path, out):
    os.makedirs(out, exist_ok=True)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip().lower() for c in df.columns]
    rows = len(df)
    reason = pd.Series(np.full(rows, None, dtype=object))
    column = pd.Series(np.full(rows, None, dtype=object))

    def flag(mask, col, why):
        new = mask & reason.isna()
        reason[new] = why
        column[new] = col

    flag(df["uri"].str.strip() == "", "uri", "missing_value")
    numbers = {}
    for name, low, high, whole in RULES:
        text = df[name].str.strip()
        value = pd.to_numeric(text, errors="coerce")
        flag(text == "", name, "missing_value")
        flag(value.isna() | np.isinf(value), name, "not_a_number")
        flag((value < low) | (value > high), name, "out_of_range")
        if whole:
            flag(value != np.floor(value), name, "not_an_integer")
        numbers[name] = value
    flag(numbers["chorus_hit"] > numbers["duration_ms"] / 1000, "chorus_hit", "chorus_after_end")
    decade = file_decade(path)
    if "decade" in df.columns:
        cell = df["decade"].str.strip()
        parsed = pd.to_numeric(cell, errors="coerce")
        flag((cell != "") & (parsed.isna() | (parsed % 10 != 0) | (parsed < 1900) | (parsed > 2090)), "decade", "invalid_decade")
        df["decade"] = np.where(cell == "", decade if decade else "", cell)
    else:
        df["decade"] = str(decade) if decade else ""

    valid = reason.isna()
    keyed = pd.DataFrame({"uri": df["uri"].str.strip(), "decade": df["decade"], "target": numbers["target"]})[valid]
    targets = keyed.groupby(["uri", "decade"])["target"].transform("nunique")
    conflicting = pd.Series(False, index=df.index)
    conflicting[keyed.index[targets > 1]] = True
    duplicate = pd.Series(False, index=df.index)
    duplicate[keyed.index[keyed.duplicated(["uri", "decade"]) & (targets == 1)]] = True
    flag(valid & conflicting, "target", "conflicting_target")
    flag(valid & duplicate, "uri", "duplicate")
    kept = reason.isna()

    cleaned = df.loc[kept, TEXT + RAW + ["target", "decade"]].apply(lambda s: s.str.strip())
    cleaned.to_csv(os.path.join(out, "cleaned.csv"), index=False)
    n = {k: v[kept] for k, v in numbers.items()}
    ready = cleaned[["uri", "artist", "track", "decade"] + RAW].copy()
    add_engineered(ready, n)
    ready["target"] = cleaned["target"]
    ready.to_csv(os.path.join(out, "ready.csv"), index=False, float_format="%.6g")

    rejected = ~kept
    rejects = pd.DataFrame({
        "line": df.index[rejected] + 2, "column": column[rejected], "reason": reason[rejected],
        "uri": df.loc[rejected, "uri"], "track": df.loc[rejected, "track"],
    })
    rejects.to_csv(os.path.join(out, "rejects.csv"), index=False)
    counts = reason[rejected].value_counts().to_dict()
    report = {"rowsRead": rows, "rowsKept": int(kept.sum()), "rejectedByReason": {k: int(v) for k, v in counts.items()}}
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
