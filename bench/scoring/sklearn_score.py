#!/usr/bin/env python3
"""The scikit-learn peer of ChartBuster's `score`: the same work on the same raw file.

fit:      HistGradientBoosting sized like ChartBuster's single LightGbm (training/sklearn_peer.py's model and inputs),
          fitted on the real pool's ready.csv files and pickled (not timed: ChartBuster's model is trained beforehand too).
score:    end to end, like `score`: pandas reads the raw CSV, checks every row against the cleaning rules, computes the
          engineered features, predict_proba on the valid rows, writes every input row back with hit_probability,
          predicted_hit and reject_reason. Prints the time of each phase.
evaluate: predict_proba alone, on the valid rows already in memory as the model's input array.

Threads: OMP_NUM_THREADS (scikit-learn's tree prediction runs on OpenMP threads).

usage: sklearn_score.py fit MODEL.pkl READY.csv [READY2.csv ...]
       sklearn_score.py score MODEL.pkl RAW.csv OUT.csv
       sklearn_score.py evaluate MODEL.pkl RAW.csv
"""
import os
import pickle
import sys
import time
import warnings

import numpy as np
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "training"))
sys.path.insert(0, os.path.join(here, "..", "preprocess"))
import sklearn_peer  # noqa: E402  (the peer's model and inputs)
from pandas_clean import RULES, RAW, add_engineered  # noqa: E402  (the cleaning rules and features)


def fit(model_path, ready_paths):
    df, x, categorical = sklearn_peer.load(ready_paths)
    from sklearn.ensemble import HistGradientBoostingClassifier
    model = HistGradientBoostingClassifier(max_iter=500, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20,
                                           categorical_features=categorical, random_state=42, early_stopping=False)
    model.fit(x, df["target"])
    decades = {int(d): int(r) for d, r in zip(df["decade"], x["decade_cat"])}
    with open(model_path, "wb") as f:
        pickle.dump({"model": model, "columns": list(x.columns), "decades": decades}, f)


def model_input(df, saved):
    """Valid-row mask and the model's input frame (the columns sklearn_peer.load builds from ready.csv)."""
    numbers = {name: pd.to_numeric(df[name], errors="coerce") for name, *_ in RULES if name != "target"}
    valid = pd.Series(True, index=df.index)
    for name, low, high, whole in RULES:
        if name == "target":
            continue
        value = numbers[name]
        valid &= value.notna() & (value >= low) & (value <= high)
        if whole:
            valid &= value == np.floor(value)
    valid &= numbers["chorus_hit"] <= numbers["duration_ms"] / 1000
    n = {k: v[valid] for k, v in numbers.items()}
    x = pd.DataFrame({c: n[c] for c in RAW})
    add_engineered(x, n)
    for c in ["key", "mode", "time_signature"]:
        x[c + "_cat"] = n[c].astype(int)
    decade = pd.to_numeric(df["decade"], errors="coerce")[valid] if "decade" in df.columns else pd.Series(0, index=x.index)
    x["decade_cat"] = decade.map(saved["decades"]).fillna(0).astype(int)
    return valid, x[saved["columns"]]


def load_model(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def score(model_path, raw_path, out_path):
    saved = load_model(model_path)
    clock = time.perf_counter()
    df = pd.read_csv(raw_path, encoding="utf-8-sig")
    read = time.perf_counter()
    valid, x = model_input(df, saved)
    features = time.perf_counter()
    p = saved["model"].predict_proba(x)[:, 1]
    predicted = time.perf_counter()
    df["hit_probability"] = pd.Series(p, index=x.index)
    df["predicted_hit"] = pd.Series((p >= 0.5).astype(int), index=x.index).astype("Int64")
    df["reject_reason"] = np.where(valid, "", "invalid")
    df.to_csv(out_path, index=False)
    done = time.perf_counter()
    rows = int(valid.sum())
    print(f"sklearn score: {rows} of {len(df)} rows in {done - clock:.2f} s ({rows / (done - clock):.0f} rows/s): "
          f"read {read - clock:.2f} s, checks and features {features - read:.2f} s, predict_proba {predicted - features:.2f} s, "
          f"write {done - predicted:.2f} s")


def evaluate(model_path, raw_path):
    saved = load_model(model_path)
    _, x = model_input(pd.read_csv(raw_path, encoding="utf-8-sig"), saved)
    array = x.to_numpy(dtype=np.float64)
    warnings.filterwarnings("ignore", message="X does not have valid feature names")
    start = time.perf_counter()
    saved["model"].predict_proba(array)
    seconds = time.perf_counter() - start
    print(f"sklearn predict_proba alone: {len(array)} rows in {seconds:.2f} s ({len(array) / seconds:.0f} rows/s)")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "fit":
        fit(sys.argv[2], sys.argv[3:])
    elif command == "score":
        score(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "evaluate":
        evaluate(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
