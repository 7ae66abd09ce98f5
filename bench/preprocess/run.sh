#!/usr/bin/env bash
# Preprocess benchmark: ChartBuster's command line (the Native AOT `bootstrap`, the Lambda's own binary)
# beside the pandas peer (pandas_clean.py, Debian's python3-pandas), both pinned to one core, file to file,
# on (1) the real dataset pooled into one file and (2) a generated file of ROWS rows; then ChartBuster alone on
# ten times as many rows (peak memory; pandas would need tens of GB there).
# Reports median wall time, CPU time (user+sys), rows/s, MB/s and peak RSS, and the ratios, as Markdown tables.
# The tools take turns run by run (interleaved), so a change in the machine's load touches all of them alike.
#
# usage: bench/preprocess/run.sh [ROWS] [REPEAT]     (defaults: 1000000 rows, 3 runs each)
#   BEFORE=path/to/bootstrap  adds an earlier build as a third tool ("chartbuster-before"), interleaved the same way
#   TEN_TIMES=0               skips the 10x-rows run
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-1000000}"
repeat="${2:-3}"
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

tools=(chartbuster pandas)
[ -n "${BEFORE:-}" ] && tools=(chartbuster chartbuster-before pandas)

# run TOOL INPUT: one pinned run; appends "seconds cpu-seconds kilobytes" to $work/runs-TOOL.txt
run() {
  local tool="$1" input="$2" out="$work/out-$1"
  rm -rf "$out"
  case "$tool" in
    chartbuster) set -- "$work/bin/bootstrap" --input "$input" --output-dir "$out" ;;
    chartbuster-before) set -- "$BEFORE" --input "$input" --output-dir "$out" ;;
    pandas) set -- "$python" "$here/pandas_clean.py" "$input" "$out" ;;
  esac
  taskset -c 0 /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null
  read -r seconds user system kb < "$work/time.txt"
  echo "$seconds $(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }') $kb" >> "$work/runs-$tool.txt"
  rm -rf "$out"
}

median() { sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }

# row NAME ROWS MB TOOL: one table row from the tool's runs
row() {
  local runs="$work/runs-$4.txt"
  local seconds cpu kb
  seconds=$(cut -d' ' -f1 "$runs" | median)
  cpu=$(cut -d' ' -f2 "$runs" | median)
  kb=$(cut -d' ' -f3 "$runs" | sort -n | tail -1)
  awk -v name="$1" -v n="$2" -v mb="$3" -v tool="$4" -v s="$seconds" -v cpu="$cpu" -v kb="$kb" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "| %s | %d | %s | %s | %.3f | %.2f | %.0f | %.1f | %.0f | %s |\n", name, n, mb, tool, s, cpu, n / s, mb / s, kb / 1024, load }'
  echo "$seconds" > "$work/median-$4.txt"
}

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; $(dotnet --version) SDK; pandas $("$python" -c 'import pandas; print(pandas.__version__)')"
echo "Machine: $machine"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ), $repeat runs each (tools interleaved), medians, pinned to one core (taskset -c 0); load = 1-minute load average after the runs; CPU = user+sys seconds"
echo
echo "| input | rows | MB | tool | median s | CPU s | rows/s | MB/s | peak RSS MB | load after |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for input in "$pooled" "$generated"; do
  n=$(($(wc -l < "$input") - 1))
  mb=$(awk -v b="$(stat -c %s "$input")" 'BEGIN { printf "%.1f", b / 1048576 }')
  rm -f "$work"/runs-*.txt
  for _ in $(seq "$repeat"); do
    for tool in "${tools[@]}"; do run "$tool" "$input"; done
  done
  for tool in "${tools[@]}"; do row "$(basename "$input")" "$n" "$mb" "$tool"; done
  awk -v a="$(cat "$work/median-chartbuster.txt")" -v b="$(cat "$work/median-pandas.txt")" -v name="$(basename "$input")" \
    'BEGIN { printf "| %s | | | **ratio** | **%.1fx faster than pandas** | | | | | |\n", name, b / a }'
done

[ "${TEN_TIMES:-1}" = 0 ] && exit 0
# Ten times the rows, each copy of the generated file under its own uris (so ten times the songs: more than one
# partition of the duplicate index holds at its default bound, which is what keeps memory bounded).
big="$work/generated-$((rows * 10)).csv"
if [ ! -f "$big" ]; then
  (head -1 "$generated"; for k in 0 1 2 3 4 5 6 7 8 9; do tail -n +2 "$generated" | sed "s/spotify:track:/spotify:track:$k/"; done) > "$big"
fi
n=$(($(wc -l < "$big") - 1))
mb=$(awk -v b="$(stat -c %s "$big")" 'BEGIN { printf "%.1f", b / 1048576 }')
rm -f "$work"/runs-*.txt
tools=(chartbuster)
[ -n "${BEFORE:-}" ] && tools=(chartbuster chartbuster-before)
for tool in "${tools[@]}"; do run "$tool" "$big"; done
echo
echo "Ten times the rows, one run each (pandas not run: it holds every row as Python strings, tens of GB here):"
echo
echo "| input | rows | MB | tool | s | CPU s | rows/s | MB/s | peak RSS MB | load after |"
echo "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|"
for tool in "${tools[@]}"; do row "$(basename "$big")" "$n" "$mb" "$tool"; done
