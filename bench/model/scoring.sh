#!/usr/bin/env bash
# Cost of the model per row: `score` rows/s with the previous full profile's model (one LightGbm) and with the
# current one (the two-view ensemble), on the pooled real ready files (32,862 songs) and on the same rows
# repeated ten times (start-up amortised). Both models are fitted on train's artist-grouped pool. The runs
# interleave (before, after, before, …) so that a change in the machine's load hits both; medians of RUNS runs.
# Prints the load average beside each run: on a shared machine, quote it.
#
# usage: bench/model/scoring.sh [RUNS]      (default 5)
set -euo pipefail
# shellcheck source=prepare.sh
source "$(dirname "$0")/prepare.sh"
runs="${1:-5}"
dotnet build "$root/training/ChartBuster.Training" -c Release -o "$work/train-bin" -v quiet -nologo >&2
pooled="$work/ready-pooled.csv"
(head -1 "$work/ready-60/ready.csv"; for d in 60 70 80 90 00 10; do tail -n +2 "$work/ready-$d/ready.csv"; done) > "$pooled"
(head -1 "$pooled"; for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +2 "$pooled"; done) > "$work/ready-pooled-x10.csv"
experiments="$work/experiments-bin/ChartBuster.ModelExperiments.dll"
[ -f "$work/model-single.zip" ] || dotnet "$experiments" "${inputs[@]}" --save-model "$work/model-single.zip" lgbm-reg31 >&2
[ -f "$work/model-ensemble.zip" ] || dotnet "$experiments" "${inputs[@]}" --save-model "$work/model-ensemble.zip" 'ens:reg31@decade-relative+reg31@interactions' >&2

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; .NET $(dotnet --version); $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| input | model | run rows/s (load average at start) | median rows/s |"
echo "|---|---|---|---:|"
for input in "$pooled" "$work/ready-pooled-x10.csv"; do
  declare -A rates=()
  declare -A loads=()
  for _ in $(seq "$runs"); do
    for model in single ensemble; do
      load="$(cut -d' ' -f1 /proc/loadavg)"
      rate="$(dotnet "$work/train-bin/ChartBuster.Training.dll" score --model "$work/model-$model.zip" --input "$input" --output "$work/scored.csv" | sed -E 's/.*\(([0-9]+) rows\/s\).*/\1/')"
      rates[$model]+="$rate "
      loads[$model]+="$rate ($load), "
    done
  done
  for model in single ensemble; do
    median="$(tr ' ' '\n' <<< "${rates[$model]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    echo "| $(basename "$input") | $model | ${loads[$model]%, } | $median |"
  done
  unset rates loads
done
