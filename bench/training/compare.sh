#!/usr/bin/env bash
# Single-profile training on the real pool: two builds of `train` and the scikit-learn peer, interleaved run by run so
# that all three see the same load (the machine may be shared). Prints one Markdown row per run (wall and CPU seconds,
# the 1-minute load average before it) and the medians. Needs the ready files of bench/training/run.sh (it makes them).
#
# usage: bench/training/compare.sh BEFORE/ChartBuster.Training.dll AFTER/ChartBuster.Training.dll [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
before="$1"; after="$2"; runs="${3:-3}"
work="$here/work"
[ -f "$work/ready-real-10/ready.csv" ] || { echo "run bench/training/run.sh \"\" once first (it prepares the ready files)" >&2; exit 1; }
inputs=(); pool=()
for decade in 60 70 80 90 00 10; do inputs+=(--input "$work/ready-real-$decade/ready.csv"); pool+=("$work/ready-real-$decade/ready.csv"); done

run() { # NAME COMMAND... -> "| NAME | wall | cpu | load | breakdown |"
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -f "%e %U %S" -o "$work/compare-time.txt" "$@" > "$work/compare-out.txt" 2>&1 || { cat "$work/compare-out.txt" >&2; exit 1; }
  read -r wall user sys < "$work/compare-time.txt"
  printf "| %s | %s | %.2f | %s | %s |\n" "$name" "$wall" "$(echo "$user + $sys" | bc)" "$load" \
    "$(grep -E '^time \(s\)|fit [0-9.]+ s' "$work/compare-out.txt" | tail -1 | sed 's/|/\\|/g')"
}

echo "| run | wall s | CPU s (user+sys) | load before | breakdown |"
echo "|---|---:|---:|---:|---|"
for _ in $(seq "$runs"); do
  run "scikit-learn" /usr/bin/python3 "$here/sklearn_peer.py" train "${pool[@]}"
  run "before" dotnet "$before" train "${inputs[@]}" --output-dir "$work/compare-before" --profile single
  run "after" dotnet "$after" train "${inputs[@]}" --output-dir "$work/compare-after" --profile single
done | tee "$work/compare-rows.txt"
echo
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for name in scikit-learn before after; do
  rows="$(grep "^| $name |" "$work/compare-rows.txt")"
  echo "median $name: wall $(echo "$rows" | cut -d'|' -f3 | median) s, CPU $(echo "$rows" | cut -d'|' -f4 | median) s"
done
