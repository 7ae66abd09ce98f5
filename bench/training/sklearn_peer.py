#!/usr/bin/env python3
"""The scikit-learn peer of ChartBuster's trainer and scorer, on the same ready.csv files.

train: HistGradientBoostingClassifier sized like ChartBuster's single LightGbm (500 iterations, 31 leaves,
rate 0.05), the same inputs (the 27 numeric columns of ready.csv; key, mode, time_signature, decade as
categorical), the same 20 % of songs held out (grouped on uri). Prints validation AUC and seconds.
score: predict_proba for every row of a ready.csv, rows/s.

usage: sklearn_peer.py train READY.csv [READY2.csv ...]
       sklearn_peer.py score READY.csv
"""
import hashlib
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

CATEGORICAL = ["key", "mode", "time_signature", "decade"]


def load(paths):
    frames = [pd.read_csv(p) for p in paths]
    df = pd.concat(frames, ignore_index=True)
    df["decade"] = df["decade"].fillna(0).astype(int)
    numeric = [c for c in df.columns if c not in ("uri", "artist", "track", "decade", "target")]
    x = df[numeric + ["decade"]].copy()
    for c in ["key", "mode", "time_signature"]:
        x[c + "_cat"] = x[c].astype(int)
    x["decade_cat"] = x["decade"].rank(method="dense").astype(int)
    x = x.drop(columns=["decade"])
    categorical = [x.columns.get_loc(c) for c in x.columns if c.endswith("_cat")]
    return df, x, categorical


def holdout(df):
    bucket = df["uri"].map(lambda u: int(hashlib.sha1(u.encode()).hexdigest(), 16) % 5)
    return bucket == 0


def main():
    command, paths = sys.argv[1], sys.argv[2:]
    df, x, categorical = load(paths)
    model = HistGradientBoostingClassifier(max_iter=500, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20,
                                           categorical_features=categorical, random_state=42, early_stopping=False)
    if command == "train":
        valid = holdout(df).to_numpy()
        start = time.perf_counter()
        model.fit(x[~valid], df["target"][~valid])
        seconds = time.perf_counter() - start
        auc = roc_auc_score(df["target"][valid], model.predict_proba(x[valid])[:, 1])
        print(f"sklearn HistGradientBoosting: {len(df)} rows, fit {seconds:.1f} s, validation AUC {auc:.4f}")
    else:
        model.set_params(max_iter=500)
        model.fit(x, df["target"])
        start = time.perf_counter()
        model.predict_proba(x)
        seconds = time.perf_counter() - start
        print(f"sklearn score: {len(df)} rows in {seconds:.2f} s = {len(df) / seconds:.0f} rows/s")


if __name__ == "__main__":
    main()
