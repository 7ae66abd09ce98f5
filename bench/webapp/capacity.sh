#!/usr/bin/env bash
# What one web task serves, for deriving the per-client rate limits (README "Rate limits"). The app runs on one core
# (taskset -c 1) with its limits lifted, wrk loads it from the other (taskset -c 0), 15 s per run; the same app on
# AWS gets 0.5 vCPU per task, so a task serves about half of what one core does here.
# usage: bench/webapp/capacity.sh [SECONDS]    Run it on a quiet machine: check `uptime` first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-15}"
work="$here/work"
command -v curl >/dev/null || apt-get install -y -qq curl >/dev/null
read -r load1 load5 _ < /proc/loadavg
source "$here/prepare.sh"

port=8183
env CHARTBUSTER_MODEL_PATH="$work/model/model.zip" "${unlimited[@]}" \
  taskset -c 1 dotnet "$work/web/ChartBuster.Web.dll" --urls "http://127.0.0.1:$port" --contentRoot "$work/web" >"$work/capacity-web.log" 2>&1 &
web=$!
trap 'kill $web 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" && break; sleep 1; done

# A browser's form posts: the antiforgery cookie and token of one visit serve every request.
form_token() { curl -fs -c "$work/cookies.txt" "http://127.0.0.1:$port$1" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1; }
cookie() { awk '$6 ~ /Antiforgery/ {print $6 "=" $7}' "$work/cookies.txt"; }
token=$(form_token /)
"$python" - "$work" "$token" <<'PY'
import sys, urllib.parse
work, token = sys.argv[1], sys.argv[2]
fields = {"danceability": "0.7", "energy": "0.8", "valence": "0.6", "acousticness": "0.1", "instrumentalness": "0", "speechiness": "0.05",
          "liveness": "0.1", "loudness": "-5", "tempo": "120", "time_signature": "4", "key": "5", "mode": "1", "duration": "3:30",
          "chorus_hit": "35", "sections": "9", "decade": "2010"}
body = dict(fields)
body["__RequestVerificationToken"] = token
open(f"{work}/form.txt", "w").write(urllib.parse.urlencode(body))
PY
page_cookie=$(cookie)
batch_token=$(form_token /Batch)
batch_cookie=$(cookie)
"$python" - "$work" "$batch_token" "$root/../shared/data/hit-predictor/dataset-of-10s.csv" <<'PY'
import sys
work, token, csv = sys.argv[1], sys.argv[2], sys.argv[3]
b = "----chartbuster"
body = (f"--{b}\r\nContent-Disposition: form-data; name=\"__RequestVerificationToken\"\r\n\r\n{token}\r\n"
        f"--{b}\r\nContent-Disposition: form-data; name=\"send\"\r\n\r\ndownload\r\n"
        f"--{b}\r\nContent-Disposition: form-data; name=\"songs\"; filename=\"songs.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()
body += open(csv, "rb").read() + f"\r\n--{b}--\r\n".encode()
open(f"{work}/batch.txt", "wb").write(body)
PY

run() { # NAME PATH CONNECTIONS BODY CONTENT_TYPE COOKIE SONG_BUDGET_UNITS_PER_REQUEST
  BODY_FILE="$work/$4" CONTENT_TYPE="$5" COOKIE="$6" taskset -c 0 wrk -t1 -c"$3" -d"${seconds}s" --latency -s "$here/post.lua" "http://127.0.0.1:$port$2" >"$work/wrk.txt"
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/wrk.txt" | tr '\n' ' ')
  printf '| %s | %s | %s | %.1f | %s |\n' "$1" "$rps" "$p99" "$(echo "$rps * $7 / 2" | bc -l)" "${errors:-none}"
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
echo "Date: $(date -u +%Y-%m-%d). Load average before: $load1 (1 min), $load5 (5 min). App on core 1, wrk on core 0, ${seconds} s per run."
echo
echo "| request | per second on one core | p99 | per 0.5-vCPU task (song-budget units /s; pages and uploads: requests /s) | errors |"
echo "|---|---:|---:|---:|---|"
run "API, one song (16 conns)" /api/predictions 16 single.json application/json "" 1
run "API, 10,000-song array (2 conns): songs" /api/predictions 2 array.json application/json "" 10000
run "API, one song explained, ?explain=true (8 conns): 500 units each" "/api/predictions?explain=true" 8 single.json application/json "" 500
run "API, what-if curves of one song (8 conns): 300 units each" /api/predictions/curves 8 single.json application/json "" 300
run "predict page POST, with its explanation and curves (8 conns)" / 8 form.txt application/x-www-form-urlencoded "$page_cookie" 1
run "/Batch upload of the 2010s decade file, 0.8 MB (2 conns)" /Batch 2 batch.txt "multipart/form-data; boundary=----chartbuster" "$batch_cookie" 1
