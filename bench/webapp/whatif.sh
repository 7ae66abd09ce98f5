#!/usr/bin/env bash
# What a what-if request costs: one explanation and one set of curves per request, measured in a console harness on
# the model the API benchmark serves (bench/webapp/run.sh's --profile single on the real pool, trained here if absent).
# usage: bench/webapp/whatif.sh [SONGS] [ROUNDS]     (default 40 songs, 5 rounds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
source "$root/bench/real-pool.sh"
dotnet build "$here/whatif" -c Release -o "$work/whatif" -v quiet -nologo >&2
dotnet "$work/whatif/WhatIfCost.dll" "$model" "${1:-40}" "${2:-5}"
