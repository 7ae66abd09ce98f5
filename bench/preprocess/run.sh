#!/usr/bin/env bash
# Preprocess benchmark: ChartBuster's command line (the Native AOT `bootstrap`, the Lambda's own binary)
# beside the pandas peer (pandas_clean.py, Debian's python3-pandas), both pinned to one core, file to file,
# on (1) the real dataset pooled into one file and (2) a generated file of ROWS rows.
# Reports median wall time, rows/s, MB/s and peak RSS, and the ratios, as a Markdown table.
#
# usage: bench/preprocess/run.sh [ROWS] [REPEAT]     (defaults: 1000000 rows, 5 runs each)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-1000000}"
repeat="${2:-5}"
work="$here/work"
python=/usr/bin/python3 # Debian's, with python3-pandas
mkdir -p "$work"

if ! "$python" -c "import pandas" 2>/dev/null; then
  echo "installing python3-pandas (Debian)" >&2
  apt-get install -y -qq python3-pandas >/dev/null
fi
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null

echo "publishing the Native AOT bootstrap" >&2
dotnet publish "$root/functions/ChartBuster.Preprocess" -r linux-x64 -p:PublishAot=true -c Release -o "$work/bin" -v quiet -nologo >&2

pooled="$work/real-pooled.csv"
if [ ! -f "$pooled" ]; then
  "$python" - "$root/../shared/data/hit-predictor" "$pooled" <<'PY'
import csv, glob, os, sys
source, target = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(source, "dataset-of-*.csv")))
if len(files) != 6:
    sys.exit(f"expected six decade files in {source}")
with open(target, "w", newline="", encoding="utf-8") as out:
    writer = None
    for path in files:
        two = int(os.path.basename(path)[11:13])
        decade = str(2000 + two if two <= 20 else 1900 + two)
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            header = next(reader)
            if writer is None:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(header + ["decade"])
            for row in reader:
                writer.writerow(row + [decade])
PY
fi
generated="$work/generated-$rows.csv"
[ -f "$generated" ] || "$python" "$here/generate.py" "$rows" "$generated"

# measure TOOL INPUT: prints "seconds kilobytes" per run, one line each
measure() {
  local tool="$1" input="$2" out="$work/out-$1"
  for _ in $(seq "$repeat"); do
    rm -rf "$out"
    case "$tool" in
      chartbuster) taskset -c 0 /usr/bin/time -f "%e %M" -o "$work/time.txt" "$work/bin/bootstrap" --input "$input" --output-dir "$out" >/dev/null ;;
      pandas) taskset -c 0 /usr/bin/time -f "%e %M" -o "$work/time.txt" "$python" "$here/pandas_clean.py" "$input" "$out" >/dev/null ;;
    esac
    cat "$work/time.txt"
  done
}

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(dotnet --version) SDK; pandas $("$python" -c 'import pandas; print(pandas.__version__)')"
echo "Machine: $machine"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ), $repeat runs each, medians, pinned to one core (taskset -c 0); load = 1-minute load average after the runs"
echo
echo "| input | rows | MB | tool | median s | rows/s | MB/s | peak RSS MB | load after |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|"
for input in "$pooled" "$generated"; do
  n=$(($(wc -l < "$input") - 1))
  mb=$(awk -v b="$(stat -c %s "$input")" 'BEGIN { printf "%.1f", b / 1048576 }')
  declare -A median=()
  for tool in chartbuster pandas; do
    measure "$tool" "$input" > "$work/runs.txt"
    seconds=$(cut -d' ' -f1 "$work/runs.txt" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
    kb=$(cut -d' ' -f2 "$work/runs.txt" | sort -n | tail -1)
    median[$tool]=$seconds
    awk -v name="$(basename "$input")" -v n="$n" -v mb="$mb" -v tool="$tool" -v s="$seconds" -v kb="$kb" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
      'BEGIN { printf "| %s | %d | %s | %s | %.3f | %.0f | %.1f | %.0f | %s |\n", name, n, mb, tool, s, n / s, mb / s, kb / 1024, load }'
  done
  awk -v a="${median[chartbuster]}" -v b="${median[pandas]}" -v name="$(basename "$input")" \
    'BEGIN { printf "| %s | | | **ratio** | **%.1fx faster** | | | | |\n", name, b / a }'
done
