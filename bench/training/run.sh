#!/usr/bin/env bash
# Training benchmark: ChartBuster's `train` (single LightGbm 31x500, and the full cross-validated search on the
# real data) and `score`, beside scikit-learn's HistGradientBoosting (Debian's python3-sklearn) on the same
# ready.csv files, in the same run. Wall time and peak RSS from /usr/bin/time; both may use both cores.
#
# usage: bench/training/run.sh [SIZES]     (default: "100000 1000000" generated rows, plus the real pool; "" = the real pool only)
# ChartBuster's rows end with `train`'s own breakdown of its wall time (process start, load, fit, evaluation, importance, ...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${1-100000 1000000}"
work="$here/work"
python=/usr/bin/python3
mkdir -p "$work"
"$python" -c "import sklearn, pandas" 2>/dev/null || apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

echo "building" >&2
# Published as the worker's image publishes it (training/ChartBuster.Training/Dockerfile: ReadyToRun, linux-x64).
dotnet publish "$root/training/ChartBuster.Training" -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true \
  -o "$work/train-bin" -v quiet -nologo >&2
dotnet build "$root/functions/ChartBuster.Preprocess" -c Release -o "$work/prep-bin" -v quiet -nologo >&2
train="$work/train-bin/ChartBuster.Training.dll"

ready_of() { # RAW NAME -> prints the ready.csv path
  local out="$work/ready-$2"
  [ -f "$out/ready.csv" ] || dotnet "$work/prep-bin/bootstrap.dll" --input "$1" --output-dir "$out" >/dev/null
  echo "$out/ready.csv"
}

timed() { # LABEL COMMAND... -> one Markdown row with wall seconds and peak RSS
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2>&1 || { cat "$work/out.txt" >&2; exit 1; }
  read -r seconds kb < "$work/time.txt"
  printf "| %s | %s | %.0f | %s |\n" "$label" "$seconds" "$((kb / 1024))" \
    "$(grep -E 'validation AUC|rows/s|^time \(s\)' "$work/out.txt" | tail -2 | tr '\n' ' ' | sed 's/|/\\|/g')"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; .NET $(dotnet --version); scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)')"
echo "Date: $(date -u +%Y-%m-%d). One run each (training runs are long); wall time includes loading the CSV."
echo
echo "| run | wall s | peak RSS MB | result |"
echo "|---|---:|---:|---|"
pool=()
for decade in 60 70 80 90 00 10; do
  pool+=("$(ready_of "$root/../shared/data/hit-predictor/dataset-of-${decade}s.csv" "real-$decade")")
done
inputs=(); for f in "${pool[@]}"; do inputs+=(--input "$f"); done
timed "real pool (32,862 rows): ChartBuster full search (5 candidates x 5-fold CV)" dotnet "$train" train "${inputs[@]}" --output-dir "$work/model-real-full"
timed "real pool: ChartBuster single LightGbm 31x500" dotnet "$train" train "${inputs[@]}" --output-dir "$work/model-real" --profile single
timed "real pool: scikit-learn HistGradientBoosting 31x500" "$python" "$here/sklearn_peer.py" train "${pool[@]}"
for rows in $sizes; do
  raw="$work/generated-$rows.csv"
  [ -f "$raw" ] || "$python" "$root/bench/preprocess/generate.py" "$rows" "$raw"
  ready="$(ready_of "$raw" "generated-$rows")"
  timed "$rows generated rows: ChartBuster single LightGbm 31x500" dotnet "$train" train --input "$ready" --output-dir "$work/model-$rows" --profile single
  timed "$rows generated rows: scikit-learn HistGradientBoosting 31x500" "$python" "$here/sklearn_peer.py" train "$ready"
done
largest="${sizes##* }"
[ -n "$largest" ] || exit 0 # the real pool only: bench/training/run.sh ""
timed "score $largest rows: ChartBuster score" dotnet "$train" score --model "$work/model-real/model.zip" --input "$work/generated-$largest.csv" --output "$work/scored.csv"
timed "score $largest rows: scikit-learn predict_proba (fit excluded from rows/s)" "$python" "$here/sklearn_peer.py" score "$(ready_of "$work/generated-$largest.csv" "generated-$largest")"
