#!/usr/bin/env bash
# Scale curve (issue 12, deliverable 6): time and peak memory of preprocess, training and scoring as the number of
# rows grows, on generated files (bench/preprocess/generate.py: real rows resampled with jitter, fresh uris, 1 %
# invalid, 1 % repeats). One run per cell (they are long); wall time and peak RSS from /usr/bin/time.
#   preprocess: the Native AOT bootstrap (the Lambda's binary) file to file, pinned to one core.
#   train:      `--profile single` (the peer-sized LightGbm 31x500, no CV) at every size, and the default profile
#               (what the worker runs: candidates cross-validated, the two-model ensemble) up to $FULL_MAX rows.
#   score:      `score` of the raw file with the default model trained on the real pool, up to $SCORE_MAX rows.
# usage: bench/scale/run.sh [SIZES]   (default "10000 100000 1000000 10000000"; FULL_MAX=100000 SCORE_MAX=10000000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${1:-10000 100000 1000000 10000000}"
full_max="${FULL_MAX:-100000}"
score_max="${SCORE_MAX:-10000000}"
work="$here/work"
python=/usr/bin/python3
mkdir -p "$work"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

echo "building" >&2
dotnet publish "$root/functions/ChartBuster.Preprocess" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v quiet -nologo >&2
source "$root/bench/real-pool.sh" # the training CLI ($train), the real ready files ($inputs)
default_model="$work/model-default/model.zip"
unzip -l "$default_model" 2>/dev/null | grep -q ChartBuster/reference.json || \
  dotnet "$train" train "${inputs[@]}" --output-dir "$work/model-default" >&2

timed() { # STAGE ROWS WHAT COMMAND... -> one Markdown row
  local stage="$1" rows="$2" what="$3"; shift 3
  local status=0
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2>&1 || status=$?
  if [ "$status" != 0 ]; then # a size that does not fit is a result too: say so and go on
    tail -5 "$work/out.txt" >&2
    echo "| $stage | $rows | $what | failed (exit $status$(grep -qi 'out of memory\|OutOfMemory' "$work/out.txt" && echo ', out of memory')) | | | $(cut -d' ' -f1 /proc/loadavg) |"
    return 0
  fi
  local seconds kb
  read -r seconds kb < "$work/time.txt"
  printf "| %s | %s | %s | %s | %s | %.0f | %s |\n" "$stage" "$rows" "$what" "$seconds" \
    "$(awk -v r="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? r / s : 0) }')" "$((kb / 1024))" "$(cut -d' ' -f1 /proc/loadavg)"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; .NET $(dotnet --version); $(date -u +%Y-%m-%dT%H:%MZ); one run per cell; load = 1-minute load average after the cell"
echo
echo "| stage | rows | what | wall s | rows/s | peak RSS MB | load |"
echo "|---|---:|---|---:|---:|---:|---:|"
for rows in $sizes; do
  raw="$work/generated-$rows.csv"
  [ -f "$raw" ] || "$python" "$root/bench/preprocess/generate.py" "$rows" "$raw"
  rm -rf "$work/out-$rows"
  timed preprocess "$rows" "bootstrap, one core" taskset -c 0 "$work/aot/bootstrap" --input "$raw" --output-dir "$work/out-$rows"
  ready="$work/out-$rows/ready.csv"
  timed train "$rows" "--profile single" dotnet "$train" train --input "$ready" --output-dir "$work/single-$rows" --profile single
  if [ "$rows" -le "$full_max" ]; then
    timed train "$rows" "default profile (the worker's)" dotnet "$train" train --input "$ready" --output-dir "$work/full-$rows"
  fi
  if [ "$rows" -le "$score_max" ]; then
    timed score "$rows" "default model, raw file" dotnet "$train" score --model "$default_model" --input "$raw" --output "$work/scored-$rows.csv"
  fi
  rm -f "$work/scored-$rows.csv"
done
