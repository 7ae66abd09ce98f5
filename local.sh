#!/usr/bin/env bash
# The whole ChartBuster pipeline on this machine, the same binaries as in AWS:
#   ./local.sh up [--detach] [--containers]
#                              start the S3/SQS emulator, the notification wiring, the training worker and the
#                              web app; train on a generated sample if no model exists; serve http://127.0.0.1:8080
#                              (--containers: the worker and the web app run as their container images, as on ECS)
#   ./local.sh upload FILE.csv put a song file into the local raw bucket (it is cleaned, trained on, served)
#   ./local.sh status          what is running
#   ./local.sh down            stop everything `up` started, and nothing else
#   ./local.sh images          build the two service images from the Dockerfiles the CDK app deploys (podman, or
#                              Docker when a daemon answers; stand-in bases when Microsoft's registry is unreachable)
#   ./local.sh --help          this text. Exit codes: 0 done; 1 a part did not start or stopped, or the stack is not in
#                              the state the command needs; 2 a mistyped command or option (with a suggestion)
# State (objects, queues, logs) lives in .local/ (git-ignored): a second `up` resumes from it.
# Metrics (Prometheus text): http://localhost:9464/metrics (web app), http://localhost:9465/metrics (worker).
# Overrides: CHARTBUSTER_LOCAL_DIR, CHARTBUSTER_EMULATOR_PORT (4566), CHARTBUSTER_WEB_PORT (8080),
# CHARTBUSTER_WEB_METRICS_PORT (9464), CHARTBUSTER_WORKER_METRICS_PORT (9465),
# CHARTBUSTER_LOCAL_BUILD=0 (use the binaries and images already built), CHARTBUSTER_LOCAL_SAMPLE=0 (no demo upload).
set -euo pipefail
cd "$(dirname "$0")"
root="$PWD"
state="${CHARTBUSTER_LOCAL_DIR:-$root/.local}"
emulator_port="${CHARTBUSTER_EMULATOR_PORT:-4566}"
web_port="${CHARTBUSTER_WEB_PORT:-8080}"
web_metrics_port="${CHARTBUSTER_WEB_METRICS_PORT:-9464}"
worker_metrics_port="${CHARTBUSTER_WORKER_METRICS_PORT:-9465}"

export AWS_ENDPOINT_URL="http://127.0.0.1:$emulator_port" AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local
export CHARTBUSTER_RAW_BUCKET=chartbuster-raw CHARTBUSTER_READY_BUCKET=chartbuster-ready
export CHARTBUSTER_ARTIFACTS_BUCKET=chartbuster-artifacts CHARTBUSTER_TRAINING_QUEUE_NAME=chartbuster-training
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

wiring_dll="$root/infra/ChartBuster.LocalWiring/bin/Release/net10.0/ChartBuster.LocalWiring.dll"
training_dll="$root/training/ChartBuster.Training/bin/Release/net10.0/ChartBuster.Training.dll"
web_dll="$root/webapp/ChartBuster.Web/bin/Release/net10.0/ChartBuster.Web.dll"
parts=(emulator wiring worker web)

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }

# " Did you mean up?" when a mistyped word is at most two edits from a known one (the .NET commands suggest the same way).
suggest() {
  local typed="$1"; shift
  printf '%s\n' "$@" | awk -v t="$typed" '
    function distance(a, b,   i, j, m, n, d, c) {
      m = length(a); n = length(b)
      for (i = 0; i <= m; i++) d[i, 0] = i
      for (j = 0; j <= n; j++) d[0, j] = j
      for (i = 1; i <= m; i++) for (j = 1; j <= n; j++) {
        c = substr(a, i, 1) != substr(b, j, 1); d[i, j] = d[i - 1, j - 1] + c
        if (d[i - 1, j] + 1 < d[i, j]) d[i, j] = d[i - 1, j] + 1
        if (d[i, j - 1] + 1 < d[i, j]) d[i, j] = d[i, j - 1] + 1
      }
      return d[m, n]
    }
    { x = distance(t, $0); if (best == "" || x < least) { best = $0; least = x } }
    END { if (best != "" && least <= 2) printf " Did you mean %s?", best }'
}

# shellcheck source=infra/local/containers.sh
. "$root/infra/local/containers.sh"

# The parts that run as containers (up --containers), and each one's container name for this state folder.
container_parts() { cat "$state/containers" 2>/dev/null || true; }
is_container() { [[ " $(container_parts) " == *" $1 "* ]]; }
container_name() { echo "chartbuster-$(printf %s "$state" | cksum | cut -d' ' -f1)-$1"; }

running() { [ -f "$state/pids/$1.pid" ] && kill -0 "$(cat "$state/pids/$1.pid")" 2>/dev/null; }

# Starts one part in the background, its output in .local/logs/<part>.log, its pid in .local/pids/<part>.pid.
start() {
  local name="$1"; shift
  "$@" >>"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/pids/$name.pid"
}

# A plain HTTP GET with bash alone (a fresh machine may not have curl); prints the status code.
http_status() {
  local port="$1" path="$2" line
  if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then echo 000; return; fi
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  IFS=' ' read -r _ line _ <&3 || line=000
  exec 3<&- 3>&-
  echo "${line:-000}"
}

wait_for() {
  local what="$1" seconds="$2"; shift 2
  for _ in $(seq $((seconds * 4))); do
    if "$@"; then return 0; fi
    sleep 0.25
  done
  say "$what did not come up in ${seconds}s; see $state/logs/" >&2
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
web_live() { [ "$(http_status "$web_port" /health/live)" = 200 ]; }

install() {
  local containers="${1:-}"
  if [ ! -x node_modules/.bin/node ] || [ ! -d node_modules/fauxqs ] || [ ! -d node_modules/aws-cdk ]; then
    say "installing npm packages (the emulator and the Node.js 22 it runs on)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  local projects=(infra/ChartBuster.LocalWiring training/ChartBuster.Training webapp/ChartBuster.Web)
  [ -n "$containers" ] && projects=(infra/ChartBuster.LocalWiring)
  if [ "${CHARTBUSTER_LOCAL_BUILD:-1}" = 1 ]; then
    say "building ${projects[*]} (Release)"
    for project in "${projects[@]}"; do
      dotnet build "$project" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
    done
    [ -z "$containers" ] || build_images
  elif [ -n "$containers" ]; then
    choose_engine
    for image in chartbuster-training chartbuster-web; do
      engine image inspect "$image:$image_tag" >/dev/null 2>&1 || { say "no $image:$image_tag image: ./local.sh images" >&2; exit 1; }
    done
  fi
}

up() {
  local detach="" containers="" argument
  for argument in "$@"; do
    case "$argument" in
      --detach) detach=1 ;;
      --containers) containers=1 ;;
      -h|--help) echo "usage: ./local.sh up [--detach] [--containers]"; exit 0 ;;
      *) echo "Unknown option '$argument' of up.$(suggest "$argument" --detach --containers) usage: ./local.sh up [--detach] [--containers]" >&2; exit 2 ;;
    esac
  done
  for part in "${parts[@]}"; do
    if running "$part"; then
      say "already running ($part); ./local.sh down first" >&2
      exit 1
    fi
  done
  mkdir -p "$state/s3" "$state/logs" "$state/pids"
  install "$containers"
  if [ -n "$containers" ]; then echo "worker web" >"$state/containers"; else rm -f "$state/containers"; fi

  # S3 objects persist on disk; queues live in the emulator's memory (its SQLite persistence breaks visibility
  # changes of in-flight messages), and the wiring re-announces datasets that were never trained.
  say "emulator    S3 + SQS on 127.0.0.1:$emulator_port (objects in $state/s3)"
  start emulator env FAUXQS_PORT="$emulator_port" FAUXQS_S3_STORAGE_DIR="$state/s3" \
    "$root/node_modules/.bin/node" --no-warnings "$root/infra/local/emulator.mjs"
  wait_for "the emulator" 30 port_open "$emulator_port"

  local setup
  setup="$(dotnet "$wiring_dll" setup)"
  export CHARTBUSTER_TRAINING_QUEUE_URL="${setup#CHARTBUSTER_TRAINING_QUEUE_URL=}"
  say "buckets     $CHARTBUSTER_RAW_BUCKET, $CHARTBUSTER_READY_BUCKET, $CHARTBUSTER_ARTIFACTS_BUCKET; queue $CHARTBUSTER_TRAINING_QUEUE_URL (+ dead letters)"

  start wiring dotnet "$wiring_dll" watch --state "$state/wiring.json" --log "$state/logs/preprocess.log" --site "http://127.0.0.1:$web_port"
  export ModelSource__PollSeconds="${ModelSource__PollSeconds:-2}"
  if [ -n "$containers" ]; then
    say "containers  chartbuster-training:$image_tag and chartbuster-web:$image_tag ($ENGINE; user 1654, read-only root, tmpfs /tmp, host network)"
    start worker run_container "$(container_name worker)" chartbuster-training --env "CHARTBUSTER_METRICS_PORT=$worker_metrics_port"
    # The image's HEALTHCHECK asks port 8080; on the host network the site listens on $web_port, so the same check is
    # given that port. podman without systemd runs checks on demand (podman healthcheck run), not on a timer.
    local interval=--health-interval=disable
    [ "$ENGINE" = podman ] || interval=--health-interval=15s
    start web run_container "$(container_name web)" chartbuster-web --env "ASPNETCORE_URLS=http://127.0.0.1:$web_port" \
      --env "CHARTBUSTER_METRICS_PORT=$web_metrics_port" \
      "--health-cmd=curl -fsS http://127.0.0.1:$web_port/health/ready || exit 1" "$interval"
  else
    start worker env CHARTBUSTER_METRICS_PORT="$worker_metrics_port" dotnet "$training_dll" worker
    # The content root is the project: a build (unlike a publish) leaves the stylesheet in its wwwroot, not beside the dll.
    start web env CHARTBUSTER_METRICS_PORT="$web_metrics_port" \
      dotnet "$web_dll" --urls "http://127.0.0.1:$web_port" --contentRoot "$root/webapp/ChartBuster.Web"
  fi
  wait_for "the web app" 60 web_live
  say "web         http://127.0.0.1:$web_port (every upload's journey: /datasets; API: POST /api/predictions, GET /api/model, GET /api/datasets)"
  say "metrics     http://localhost:$web_metrics_port/metrics (web app), http://localhost:$worker_metrics_port/metrics (worker); README \"Operating it\""

  if [ "$(http_status "$web_port" /health/ready)" != 200 ] && [ "${CHARTBUSTER_LOCAL_SAMPLE:-1}" = 1 ]; then
    local sample="$state/sample-songs.csv"
    [ -f "$sample" ] || dotnet "$wiring_dll" sample --output "$sample" >/dev/null
    say "no model yet: uploading the generated sample dataset ($(($(wc -l <"$sample") - 1)) songs, GENERATED, not real)"
    dotnet "$wiring_dll" upload "$sample" >/dev/null
  fi

  if [ -n "$detach" ]; then
    say "running in the background; ./local.sh down stops it"
    return
  fi
  say "watching the pipeline (Ctrl-C stops everything)"
  tail -n +1 -f "$state/logs/wiring.log" &
  tail_pid=$!
  trap 'kill "$tail_pid" 2>/dev/null; echo; down; exit 0' INT TERM
  while running emulator && running wiring && running worker && running web; do sleep 1; done
  kill "$tail_pid" 2>/dev/null || true
  say "a part stopped; its log is in $state/logs/" >&2
  down
  exit 1
}

down() {
  local part pid code
  for part in web worker wiring emulator; do
    [ -f "$state/pids/$part.pid" ] || continue
    pid="$(cat "$state/pids/$part.pid")"
    if is_container "$part"; then
      choose_engine
      code="$(stop_container "$(container_name "$part")")"
      for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      say "stopped     $part (container, SIGTERM, exit code $code)"
    elif kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$pid" 2>/dev/null || true
      say "stopped     $part"
    fi
    rm -f "$state/pids/$part.pid"
  done
  rm -f "$state/containers"
}

status() {
  for part in "${parts[@]}"; do
    if running "$part" && is_container "$part"; then
      choose_engine
      echo "$part: running (container $(container_name "$part")$(if [ "$part" = web ]; then container_healthy "$(container_name web)" && echo ', healthy' || echo ', not healthy yet'; fi))"
    elif running "$part"; then echo "$part: running (pid $(cat "$state/pids/$part.pid"))"; else echo "$part: stopped"; fi
  done
}

case "${1:-}" in
  up) shift; up "$@" ;;
  images) build_images ;;
  down) down ;;
  status) status ;;
  upload)
    [ $# -eq 2 ] || { echo "usage: ./local.sh upload FILE.csv" >&2; exit 2; }
    running emulator || { echo "the local stack is not running: ./local.sh up" >&2; exit 1; }
    dotnet "$wiring_dll" upload "$2" ;;
  -h|--help|help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "Unknown command '$1'.$(suggest "$1" up upload status down images) See ./local.sh --help." >&2; exit 2 ;;
esac
