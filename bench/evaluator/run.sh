#!/usr/bin/env bash
# The compiled evaluator in process, before and after a change, interleaved in the same run: ns per row of each
# pipeline step on one thread over the real pool (32,862 songs, blocks as the pipeline runs them), the trees apart
# (ns per tree and row), and CPU / wall ms per 10,000-song array (every core), for the peer-sized model
# (`train --profile single`, LightGbm 31 leaves x 500 trees) and the product's default model (two LightGbm members
# with derived features). "before" is the evaluator at BASE (a git revision, built from `git archive`), "after" this
# worktree; both run the same harness (ChartBuster.EvaluatorBench). Medians of PASSES passes per process (the first
# third dropped as warm-up), ROUNDS processes each, alternating; the load average is printed with every row.
#
# usage: bench/evaluator/run.sh [BASE] [ROUNDS] [PASSES]     (defaults: 5bbac30, 3, 15)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="${1:-5bbac30}"
rounds="${2:-3}"
passes="${3:-15}"
work="$here/work"

echo "building and training" >&2
source "$root/bench/real-pool.sh"
default="$work/model-default/model.zip"
[ -f "$default" ] || dotnet "$train" train "${inputs[@]}" --output-dir "$work/model-default" >&2

rm -rf "$work/before-src" && mkdir -p "$work/before-src"
git -C "$root" archive "$base" core Directory.Build.props Directory.Packages.props | tar -x -C "$work/before-src"
grep -q ChartBuster.EvaluatorBench "$work/before-src/core/ChartBuster.Model/ChartBuster.Model.csproj" ||
  sed -i 's#<InternalsVisibleTo Include="ChartBuster.Model.Tests" />#&<InternalsVisibleTo Include="ChartBuster.EvaluatorBench" />#' "$work/before-src/core/ChartBuster.Model/ChartBuster.Model.csproj"
mkdir -p "$work/before-src/bench/evaluator" && cp -r "$here/ChartBuster.EvaluatorBench" "$work/before-src/bench/evaluator/"
rm -rf "$work/before-src/bench/evaluator/ChartBuster.EvaluatorBench/"{bin,obj}
dotnet build "$work/before-src/bench/evaluator/ChartBuster.EvaluatorBench" -c Release -o "$work/before-bin" -v quiet -nologo >&2
dotnet build "$here/ChartBuster.EvaluatorBench" -c Release -o "$work/after-bin" -v quiet -nologo >&2

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); .NET $(dotnet --version); $(date -u +%Y-%m-%dT%H:%MZ); before = $base, after = $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- core || echo '+changes')"
echo
echo "| build | model | trees | trees ns/row | ns per tree and row | other steps ns/row | whole pipeline ns/row, one thread | µs per single song (one call, CPU) | CPU ms per 10k array | wall ms per 10k array | steps ns/row | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"
for _ in $(seq "$rounds"); do
  for m in "$model" "$default"; do
    for build in before after; do
      line=$(dotnet "$work/$build-bin/ChartBuster.EvaluatorBench.dll" "$build" "$passes" "$m" "${ready[@]}")
      echo "$line $(cut -d' ' -f1 /proc/loadavg) |"
    done
  done
done
