#!/usr/bin/env bash
# CPU time per 10,000-song array request: ChartBuster.Web against the tuned gunicorn peer (the same app and settings
# as run.sh), each request sent one after the other with curl, the servers' own CPU time (user + system, every
# thread and worker) read from /proc before and after. On a shared machine a server's CPU time per request moves
# far less with the load than its requests/s, so this is the figure to compare when the cores are not quiet.
# With BASE=<git revision> set, the web app built at that revision runs beside it (same model, own port) and the two
# ChartBuster builds are measured alternately, twice each: a before/after comparison under the same load.
# usage: [BASE=<revision>] bench/webapp/array-cpu.sh [REQUESTS]    (default 30 per server)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
requests="${1:-30}"
work="$here/work"

source "$here/prepare.sh"
command -v gunicorn >/dev/null || apt-get install -y -qq gunicorn >/dev/null

env CHARTBUSTER_MODEL_PATH="$work/model/model.zip" "${unlimited[@]}" \
  dotnet "$work/web/ChartBuster.Web.dll" --urls http://127.0.0.1:8281 --contentRoot "$work/web" >"$work/web-cpu.log" 2>&1 &
web=$!
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PEER_READY="$(IFS=:; echo "${ready[*]}")" \
  gunicorn --workers "$(nproc)" --worker-class gthread --threads 4 --preload --bind 127.0.0.1:8283 --chdir "$here" \
  'flask_peer:create_app()' >"$work/gunicorn-cpu.log" 2>&1 &
gunicorn=$!
base_web=""
ports=(8281 8283)
if [ -n "${BASE:-}" ]; then
  rm -rf "$work/base-src" && mkdir -p "$work/base-src"
  git -C "$root" archive "$BASE" | tar -x -C "$work/base-src"
  dotnet publish "$work/base-src/webapp/ChartBuster.Web" -c Release -o "$work/web-base" -v quiet -nologo >&2
  env CHARTBUSTER_MODEL_PATH="$work/model/model.zip" "${unlimited[@]}" \
    dotnet "$work/web-base/ChartBuster.Web.dll" --urls http://127.0.0.1:8282 --contentRoot "$work/web-base" >"$work/web-base-cpu.log" 2>&1 &
  base_web=$!
  ports+=(8282)
fi
trap 'kill $web $gunicorn $base_web 2>/dev/null || true' EXIT
for port in "${ports[@]}"; do
  up=""
  for _ in $(seq 900); do curl -fs -o /dev/null -X POST -H 'content-type: application/json' --data @"$work/single.json" "http://127.0.0.1:$port/api/predictions" && up=1 && break; sleep 1; done
  [ -n "$up" ] || { echo "the server on port $port did not answer in 15 minutes; see $work/*-cpu.log" >&2; exit 1; }
done

ticks() { # user + system clock ticks of a process and its children (gunicorn's workers)
  local total=0 pid fields
  for pid in "$1" $(pgrep -P "$1" || true); do
    read -r -a fields < "/proc/$pid/stat"
    total=$((total + fields[13] + fields[14]))
  done
  echo "$total"
}

measure() { # NAME PORT PID
  local post=(curl -fs -o /dev/null -X POST -H 'content-type: application/json' --data-binary @"$work/array.json" "http://127.0.0.1:$2/api/predictions")
  for _ in 1 2 3; do "${post[@]}"; done
  local before started elapsed after
  before=$(ticks "$3"); started=$(date +%s%N)
  for _ in $(seq "$requests"); do "${post[@]}"; done
  elapsed=$(( ($(date +%s%N) - started) / 1000000 )); after=$(ticks "$3")
  echo "| $1 | $(( (after - before) * 1000 / $(getconf CLK_TCK) / requests )) | $(( elapsed / requests )) | $(cut -d' ' -f1 /proc/loadavg) |"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version); gunicorn $(gunicorn --version | awk '{print $NF}' | tr -d '()'), scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)')"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). $requests requests of 10,000 songs per server, one at a time; load = 1-minute load average after."
echo
echo "| server | CPU ms per request | wall ms per request | load |"
echo "|---|---:|---:|---:|"
if [ -n "$base_web" ]; then
  for _ in 1 2; do
    measure "ChartBuster at $BASE (before)" 8282 "$base_web"
    measure "ChartBuster at $(git -C "$root" rev-parse --short HEAD) (after)" 8281 "$web"
  done
else
  measure "ChartBuster" 8281 "$web"
fi
measure "gunicorn peer ($(nproc) workers)" 8283 "$gunicorn"
