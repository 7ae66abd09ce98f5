#!/usr/bin/env bash
# Prediction API benchmark: ChartBuster.Web (Release) beside the same scikit-learn app (same model size and
# features) served two ways: gunicorn (the tuned peer: one worker per core, one OpenMP/BLAS thread each, model
# trained once before the workers fork, gthread workers so connections are kept alive) and Flask's threaded
# server (a second, labelled row). All on loopback, loaded by wrk from the same machine, in the same run.
#   1. single song, as fast as it goes (2 threads, 32 connections)
#   2. single song paced near 1,000 requests/s (10 connections, 10 ms pause each) for p50/p99
#   3. an array of 10,000 songs per request (1 connection): rows/s
# usage: bench/webapp/run.sh [SECONDS]    (default 15 per run)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-15}"
work="$here/work"

source "$here/prepare.sh"
"$python" -c "import flask, sklearn, pandas" 2>/dev/null || apt-get install -y -qq python3-flask python3-sklearn python3-pandas >/dev/null
command -v gunicorn >/dev/null || apt-get install -y -qq gunicorn >/dev/null

env CHARTBUSTER_MODEL_PATH="$work/model/model.zip" "${unlimited[@]}" \
  dotnet "$work/web/ChartBuster.Web.dll" --urls http://127.0.0.1:8181 --contentRoot "$work/web" >"$work/web.log" 2>&1 &
web=$!
"$python" "$here/flask_peer.py" 8182 "${ready[@]}" >"$work/flask.log" 2>&1 &
flask=$!
workers="$(nproc)"
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PEER_READY="$(IFS=:; echo "${ready[*]}")" \
  gunicorn --workers "$workers" --worker-class gthread --threads 4 --preload --bind 127.0.0.1:8183 --chdir "$here" \
  'flask_peer:create_app()' >"$work/gunicorn.log" 2>&1 &
gunicorn=$!
trap 'kill $web $flask $gunicorn 2>/dev/null || true' EXIT
for port in 8181 8182 8183; do # the peers fit their model first: minutes on a loaded machine
  up=""
  for _ in $(seq 900); do curl -fs -o /dev/null -X POST -H 'content-type: application/json' --data @"$work/single.json" "http://127.0.0.1:$port/api/predictions" && up=1 && break; sleep 1; done
  [ -n "$up" ] || { echo "the server on port $port did not answer in 15 minutes; see $work/*.log" >&2; exit 1; }
done

load() { # NAME PORT THREADS CONNECTIONS PAUSE BODY
  BODY_FILE="$work/$6" PAUSE_MS="$5" wrk -t"$3" -c"$4" -d"${seconds}s" --latency -s "$here/post.lua" "http://127.0.0.1:$2/api/predictions" > "$work/wrk.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')
  echo "| $1 | $rps | $p50 | $p99 | ${errors:-none} | $(cut -d' ' -f1 /proc/loadavg) |"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version); Flask $("$python" -c 'import flask; print(flask.__version__)'), gunicorn $(gunicorn --version | awk '{print $NF}' | tr -d '()'), scikit-learn $("$python" -c 'import sklearn; print(sklearn.__version__)'); wrk 4.1.0"
echo "Date: $(date -u +%Y-%m-%dT%H:%MZ). ${seconds} s per run; servers and wrk share the cores; load = 1-minute load average after the run."
echo
echo "| run | requests/s | p50 | p99 | errors | load |"
echo "|---|---:|---:|---:|---|---:|"
load "ChartBuster single song, max (2 threads, 32 conns)" 8181 2 32 0 single.json
load "gunicorn peer ($workers workers) single song, max (2 threads, 32 conns)" 8183 2 32 0 single.json
load "Flask threaded peer single song, max (2 threads, 32 conns)" 8182 2 32 0 single.json
load "ChartBuster single song, paced ~1,000/s (10 conns, 10 ms pause)" 8181 2 10 10 single.json
load "gunicorn peer single song, paced (10 conns, 10 ms pause)" 8183 2 10 10 single.json
load "Flask threaded peer single song, paced (10 conns, 10 ms pause)" 8182 2 10 10 single.json
load "ChartBuster 10,000-song array (1 conn)" 8181 1 1 0 array.json
load "gunicorn peer 10,000-song array (1 conn)" 8183 1 1 0 array.json
load "Flask threaded peer 10,000-song array (1 conn)" 8182 1 1 0 array.json
