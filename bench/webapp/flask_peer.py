#!/usr/bin/env python3
"""The peer of ChartBuster's prediction API: Flask + scikit-learn (Debian's python3-flask, python3-sklearn).
Trains HistGradientBoosting (500 x 31 leaves at 0.05, categorical key/mode/time_signature/decade) on the
given ready.csv files at start, then serves POST /api/predictions (one song object or an array) with the
same raw feature names and the same engineered features, answering hitProbability and predictedHit.

usage: flask_peer.py PORT READY.csv [READY2.csv ...]           (Flask's threaded server)
       PEER_READY=READY.csv:READY2.csv gunicorn --preload ... 'flask_peer:create_app()'
       (the model is trained once in gunicorn's master, before the workers fork)
"""
import math
import os
import sys

import numpy as np
import pandas as pd
from flask import Flask, jsonify, request
from sklearn.ensemble import HistGradientBoostingClassifier

RAW = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness", "instrumentalness",
       "liveness", "valence", "tempo", "duration_ms", "time_signature", "chorus_hit", "sections"]
DECADES = [1960, 1970, 1980, 1990, 2000, 2010]


def engineered(d):
    minutes = d["duration_ms"] / 60000
    return [minutes, math.log(minutes), math.log(d["speechiness"] + 0.01), math.log(d["liveness"] + 0.01),
            math.log(d["acousticness"] + 0.001), math.log(d["instrumentalness"] + 0.0001),
            1.0 if d["instrumentalness"] > 0.5 else 0.0, 1.0 if d["tempo"] > 0 and d["time_signature"] > 0 else 0.0,
            d["chorus_hit"] / (d["duration_ms"] / 1000), d["sections"] / minutes,
            d["danceability"] * d["energy"], d["valence"] * d["energy"]]


def row(d):
    decade = int(d.get("decade") or 0)
    return [float(d[c]) for c in RAW] + engineered(d) + [
        int(d["key"]), int(d["mode"]), int(d["time_signature"]), DECADES.index(decade) if decade in DECADES else 6]


def train(paths):
    df = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    x = np.array([row(r) for r in df.to_dict("records")])
    categorical = [x.shape[1] - 4, x.shape[1] - 3, x.shape[1] - 2, x.shape[1] - 1]
    x[:, categorical[0]] += 1  # key -1..11 -> 0..12 for categorical codes
    model = HistGradientBoostingClassifier(max_iter=500, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20,
                                           categorical_features=categorical, random_state=42, early_stopping=False)
    model.fit(x, df["target"])
    return model


app = Flask(__name__)
MODEL = None


@app.post("/api/predictions")
def predict():
    body = request.get_json()
    songs = body if isinstance(body, list) else [body]
    try:
        x = np.array([row(s) for s in songs])
    except (KeyError, TypeError, ValueError) as e:
        return jsonify({"title": "Some song fields are invalid.", "detail": str(e)}), 400
    x[:, x.shape[1] - 4] += 1
    p = MODEL.predict_proba(x)[:, 1]
    answers = [{"hitProbability": round(float(v), 6), "predictedHit": bool(v >= 0.5), "modelVersion": "sklearn"} for v in p]
    return jsonify(answers if isinstance(body, list) else answers[0])


def create_app():
    global MODEL
    MODEL = train(os.environ["PEER_READY"].split(os.pathsep))
    return app


if __name__ == "__main__":
    MODEL = train(sys.argv[2:])
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
