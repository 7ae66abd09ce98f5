#!/usr/bin/env bash
# What a what-if request costs: one explanation and one set of curves per request, measured in a console harness on
# the model the API benchmark serves (bench/webapp/run.sh's --profile single on the real pool, trained here if absent).
# usage: bench/webapp/whatif.sh [SONGS] [ROUNDS]     (default 40 songs, 5 rounds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
mkdir -p "$work"
dotnet build "$root/functions/ChartBuster.Preprocess" -c Release -o "$work/prep" -v quiet -nologo >&2
dotnet build "$root/training/ChartBuster.Training" -c Release -o "$work/train" -v quiet -nologo >&2
dotnet build "$here/whatif" -c Release -o "$work/whatif" -v quiet -nologo >&2
inputs=()
for d in 60 70 80 90 00 10; do
  [ -f "$work/ready-$d/ready.csv" ] && head -1 "$work/ready-$d/ready.csv" | grep -q ',track,' || \
    dotnet "$work/prep/bootstrap.dll" --input "$root/../shared/data/hit-predictor/dataset-of-${d}s.csv" --output-dir "$work/ready-$d" >/dev/null
  inputs+=(--input "$work/ready-$d/ready.csv")
done
# A model without a training reference (trained before it existed) cannot be measured: retrain it.
unzip -l "$work/model/model.zip" 2>/dev/null | grep -q ChartBuster/reference.json || \
  dotnet "$work/train/ChartBuster.Training.dll" train "${inputs[@]}" --output-dir "$work/model" --profile single >&2
dotnet "$work/whatif/WhatIfCost.dll" "$work/model/model.zip" "${1:-40}" "${2:-5}"
