#!/usr/bin/env bash
# Sourced by the benchmarks (with $root and $work set): builds the preprocess function and the training CLI into
# $work, cleans the six real decade files once, and trains the peer-sized model (`--profile single`) once.
# Sets: train (the training CLI's dll), ready (the six ready.csv paths), inputs (them as --input arguments),
# model (the model.zip). A cache written by an older build (a ready.csv without the track column, a model.zip
# without its training reference) is rebuilt, not measured.
mkdir -p "$work"
dotnet build "$root/functions/ChartBuster.Preprocess" -c Release -o "$work/prep-bin" -v quiet -nologo >&2
dotnet build "$root/training/ChartBuster.Training" -c Release -o "$work/train-bin" -v quiet -nologo >&2
train="$work/train-bin/ChartBuster.Training.dll"
ready=()
for d in 60 70 80 90 00 10; do
  [ -f "$work/ready-$d/ready.csv" ] && head -1 "$work/ready-$d/ready.csv" | grep -q ',track,' || \
    dotnet "$work/prep-bin/bootstrap.dll" --input "$root/../shared/data/hit-predictor/dataset-of-${d}s.csv" --output-dir "$work/ready-$d" >/dev/null
  ready+=("$work/ready-$d/ready.csv")
done
inputs=(); for f in "${ready[@]}"; do inputs+=(--input "$f"); done
model="$work/model/model.zip"
unzip -l "$model" 2>/dev/null | grep -q ChartBuster/reference.json || \
  dotnet "$train" train "${inputs[@]}" --output-dir "$work/model" --profile single >&2
