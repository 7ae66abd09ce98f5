#!/usr/bin/env bash
# Before/after at the same load: two builds of the `bootstrap` (e.g. main's and a branch's Native AOT publish),
# interleaved RUNS times each on the same input, pinned to core 0, then checked to write byte-identical outputs and
# the same report (elapsed time aside). Prints one line per run with the 1-minute load average.
#
# usage: bench/preprocess/compare.sh BEFORE_BOOTSTRAP AFTER_BOOTSTRAP INPUT.csv [RUNS]    (default 5 runs)
# A 10 M-row input of distinct songs from the 1 M generated file:
#   (head -1 G; for k in 0 1 2 3 4 5 6 7 8 9; do tail -n +2 G | sed "s/spotify:track:/spotify:track:$k/"; done) > G10
set -euo pipefail
before="$1" after="$2" input="$3" runs="${4:-5}"
work="$(cd "$(dirname "$0")" && pwd)/work/compare"
mkdir -p "$work"
for _ in $(seq "$runs"); do
  for side in before after; do
    binary=$([ "$side" = before ] && echo "$before" || echo "$after")
    rm -rf "${work:?}/$side"
    taskset -c 0 /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$binary" --input "$input" --output-dir "$work/$side" >/dev/null
    read -r seconds user system kb < "$work/time.txt"
    echo "$side $seconds s wall, $(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }') s CPU (user+sys), peak $((kb / 1024)) MB, load $(cut -d' ' -f1 /proc/loadavg)"
  done
done
for file in cleaned.csv rejects.csv ready.csv; do
  [ ! -f "$work/before/$file" ] && [ ! -f "$work/after/$file" ] && continue
  cmp "$work/before/$file" "$work/after/$file" && echo "$file identical"
done
report() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.pop('elapsedMilliseconds'); print(json.dumps(d, sort_keys=True))" "$1"; }
[ "$(report "$work/before/report.json")" = "$(report "$work/after/report.json")" ] && echo "report.json the same (elapsed time aside)"
