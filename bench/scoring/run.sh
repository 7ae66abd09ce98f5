#!/usr/bin/env bash
# Scoring benchmark: ChartBuster's `score` beside scikit-learn (sklearn_score.py: pandas reading, the same checks and
# features, predict_proba, writing every row back) on the same raw generated file, in the same run, with models of
# the same size fitted on the real pool (ChartBuster `train --profile single`; HistGradientBoosting 31 x 500).
# Rows: end to end on one core (taskset -c 0, OMP_NUM_THREADS=1 for the peer) and with every core; and the model
# evaluation alone (ChartBuster: the time `score` spends in the model, i.e. its compiled evaluator with the feature
# vector it builds, or ML.NET for a model that does not compile; peer: predict_proba on the rows
# already in memory). Medians of REPEAT runs; wall time and peak RSS from /usr/bin/time; the 1-minute load average
# is printed beside every row: on a shared machine the numbers are upper bounds.
#
# usage: bench/scoring/run.sh [ROWS] [REPEAT]     (defaults: 1000000 generated raw rows, 3 runs each)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-1000000}"
repeat="${2:-3}"
work="$here/work"
python=/usr/bin/python3 # Debian's, with python3-sklearn and python3-pandas
mkdir -p "$work"
"$python" -c "import sklearn, pandas" 2>/dev/null || apt-get install -y -qq python3-sklearn python3-pandas >/dev/null
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

echo "building and training" >&2
source "$root/bench/real-pool.sh"
[ -f "$work/sklearn-model.pkl" ] || "$python" "$here/sklearn_score.py" fit "$work/sklearn-model.pkl" "${ready[@]}"
raw="$work/generated-$rows.csv"
[ -f "$raw" ] || "$python" "$root/bench/preprocess/generate.py" "$rows" "$raw"

run() { # prints "seconds kilobytes load | tool output" for one run
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2>"$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  echo "$(cat "$work/time.txt") $(cut -d' ' -f1 /proc/loadavg) | $(tail -1 "$work/out.txt")"
}

row() { # LABEL COMMAND... -> one Markdown row: median wall s, rows/s, model-alone rows/s, peak RSS, loads, last report
  local label="$1"; shift
  : > "$work/runs.txt"
  for _ in $(seq "$repeat"); do run "$@" >> "$work/runs.txt"; done
  local seconds kb loads detail scored model
  seconds=$(cut -d' ' -f1 "$work/runs.txt" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
  kb=$(cut -d' ' -f2 "$work/runs.txt" | sort -n | tail -1)
  loads=$(cut -d' ' -f3 "$work/runs.txt" | paste -sd/)
  detail=$(tail -1 "$work/runs.txt" | cut -d'|' -f2- | sed 's/|/\\|/g; s/ -> .*//')
  scored=$(grep -oE '[0-9]+ (of [0-9]+ )?rows' <<< "$detail" | head -1 | cut -d' ' -f1)
  # the model's own seconds in each run: ChartBuster's "model evaluation X s", the peer's "predict_proba X s" or "in X s" (alone)
  model=$(sed -E 's/.*(model evaluation|predict_proba|rows in) ([0-9.]+) s.*/\2/' "$work/runs.txt" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
  awk -v l="$label" -v s="$seconds" -v kb="$kb" -v n="${scored:-0}" -v m="$model" -v loads="$loads" -v d="$detail" -v alone="${ALONE:-0}" \
    'BEGIN { printf "| %s | %s | %s | %.0f | %.0f | %s |%s |\n", l, alone ? "—" : sprintf("%.2f", s), alone ? "—" : sprintf("%.0f", n / s), n / m, kb / 1024, loads, d }'
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; .NET $(dotnet --version); scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)'), pandas $("$python" -c 'import pandas; print(pandas.__version__)')"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). $(basename "$raw"): $rows raw rows. $repeat runs each, median wall time; rows/s = rows scored / median wall s (process start included)."
echo
echo "| run | median wall s | rows/s end to end | rows/s in the model alone | peak RSS MB | load (per run) | tool's own report (last run) |"
echo "|---|---:|---:|---:|---:|---|---|"
row "ChartBuster score, one core" taskset -c 0 dotnet "$train" score --model "$model" --input "$raw" --output "$work/scored.csv"
row "scikit-learn + pandas, one core, one thread" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 "$python" "$here/sklearn_score.py" score "$work/sklearn-model.pkl" "$raw" "$work/scored-sklearn.csv"
row "ChartBuster score, every core" dotnet "$train" score --model "$model" --input "$raw" --output "$work/scored.csv"
row "scikit-learn + pandas, every core and thread" "$python" "$here/sklearn_score.py" score "$work/sklearn-model.pkl" "$raw" "$work/scored-sklearn.csv"
ALONE=1 row "scikit-learn predict_proba alone on a bare array, one thread" env OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 "$python" "$here/sklearn_score.py" evaluate "$work/sklearn-model.pkl" "$raw"
ALONE=1 row "scikit-learn predict_proba alone on a bare array, every thread" "$python" "$here/sklearn_score.py" evaluate "$work/sklearn-model.pkl" "$raw"
