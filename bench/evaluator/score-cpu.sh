#!/usr/bin/env bash
# `score` before and after a change of the evaluator, interleaved in the same run, on one core (taskset -c 0): the
# peer-sized model (`train --profile single`) on ROWS generated raw rows (bench/preprocess/generate.py), wall time,
# CPU time (user + system) and peak RSS from /usr/bin/time, and the seconds `score` reports for its model. "before" is
# the training CLI built at BASE (from `git archive`), "after" this worktree. On a shared machine compare the CPU
# seconds; the load average is printed with every run.
#
# usage: bench/evaluator/score-cpu.sh [BASE] [ROWS] [ROUNDS]     (defaults: 5bbac30, 1000000, 2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="${1:-5bbac30}"
rows="${2:-1000000}"
rounds="${3:-2}"
work="$here/work"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

echo "building and training" >&2
source "$root/bench/real-pool.sh"
raw="$work/generated-$rows.csv"
[ -f "$raw" ] || /usr/bin/python3 "$root/bench/preprocess/generate.py" "$rows" "$raw"
rm -rf "$work/score-base-src" && mkdir -p "$work/score-base-src"
git -C "$root" archive "$base" | tar -x -C "$work/score-base-src"
dotnet build "$work/score-base-src/training/ChartBuster.Training" -c Release -o "$work/train-base-bin" -v quiet -nologo >&2

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version); $(date -u +%Y-%m-%dT%H:%MZ); $rows raw rows, one core; before = $base, after = $(git -C "$root" rev-parse --short HEAD)"
echo
echo "| build | wall s | CPU s (user + sys) | peak RSS MB | load | score's own report |"
echo "|---|---:|---:|---:|---:|---|"
for _ in $(seq "$rounds"); do
  for build in before after; do
    bin="$work/train-bin"; [ "$build" = before ] && bin="$work/train-base-bin"
    /usr/bin/time -f "%e %U %S %M" -o "$work/score-time.txt" taskset -c 0 dotnet "$bin/ChartBuster.Training.dll" score --model "$model" --input "$raw" --output "$work/scored.csv" > "$work/score-out.txt"
    read -r wall user sys kb < "$work/score-time.txt"
    echo "| $build | $wall | $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') | $((kb / 1024)) | $(cut -d' ' -f1 /proc/loadavg) | $(tail -1 "$work/score-out.txt") |"
  done
done
