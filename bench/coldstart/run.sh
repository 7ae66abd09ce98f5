#!/usr/bin/env bash
# Cold start benchmark (issue 12, deliverable 5), measured from process start:
#   function: the Native AOT `bootstrap` (what the CDK app deploys on provided.al2023) beside the same function
#     published the way a team on the managed runtime would ship it (ReadyToRun, self-contained) and as a plain
#     framework-dependent build (JIT); each started against a loopback Lambda Runtime API (coldstart.py) with S3 in
#     the emulator, handed a cold and then a warm event, on a 100-row file and on the real 80s file.
#   web: the published web app (Release, as its image publishes it, and with ReadyToRun) from start to /health/ready with a model file (the peer-sized single
#     LightGbm and the default two-model ensemble, both trained on the real pool), then its first and second prediction.
# usage: bench/coldstart/run.sh [RUNS]     (default 10 per row; runs of all rows are interleaved)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${1:-10}"
work="$here/work"
python=/usr/bin/python3
mkdir -p "$work"
"$python" -c "import boto3" 2>/dev/null || apt-get install -y -qq python3-boto3 >/dev/null
[ -x "$root/node_modules/.bin/node" ] || (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)

echo "building" >&2
function="$root/functions/ChartBuster.Preprocess"
dotnet publish "$function" -c Release -r linux-x64 -p:PublishAot=true -o "$work/aot" -v quiet -nologo >&2
dotnet publish "$function" -c Release -r linux-x64 -p:PublishAot=false -p:PublishReadyToRun=true --self-contained \
  -o "$work/r2r" -v quiet -nologo >&2
dotnet publish "$function" -c Release -p:PublishAot=false --no-self-contained -o "$work/jit" -v quiet -nologo >&2
printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$work/jit/bootstrap.dll" > "$work/jit-bootstrap" && chmod +x "$work/jit-bootstrap"

source "$here/../webapp/prepare.sh" # the web app in $work/web, the single model in $model, single.json
dotnet publish "$root/webapp/ChartBuster.Web" -c Release -r linux-x64 --no-self-contained -p:PublishReadyToRun=true \
  -o "$work/web-r2r" -v quiet -nologo >&2
default_model="$work/model-default/model.zip"
unzip -l "$default_model" 2>/dev/null | grep -q ChartBuster/reference.json || \
  dotnet "$train" train "${inputs[@]}" --output-dir "$work/model-default" >&2

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; .NET $(dotnet --version); $(date -u +%Y-%m-%dT%H:%MZ); medians of $runs runs; load = 1-minute load average after the rows"
echo
"$python" "$here/coldstart.py" function "Native AOT=$work/aot/bootstrap" "ReadyToRun self-contained=$work/r2r/bootstrap" \
  "JIT framework-dependent=$work/jit-bootstrap" --runs "$runs" --data "$root/../shared/data/hit-predictor" \
  --node "$root/node_modules/.bin/node" --emulator "$root/infra/local/emulator.mjs"
echo
web="$work/web/ChartBuster.Web.dll" web_r2r="$work/web-r2r/ChartBuster.Web.dll"
"$python" "$here/coldstart.py" web "as the image publishes it, single LightGbm 31x500=$web=$model" \
  "as the image publishes it, default ensemble (2 LightGbm 31x800)=$web=$default_model" \
  "ReadyToRun, default ensemble=$web_r2r=$default_model" --runs "$runs" --body "$work/single.json"
