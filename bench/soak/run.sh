#!/usr/bin/env bash
# Soak under faults (on demand; not part of ./test.sh): the local stack's real processes under a steady API load
# for several minutes while models are promoted, a worker is killed mid-training and the emulator is stopped and
# restarted. Prints a Markdown summary (also in bench/soak/work/<time>/summary.md); exits 1 if any check failed.
# Needs the Release build (./test.sh or dotnet build -c Release) and a quiet machine: check `uptime` first.
# usage: bench/soak/run.sh [--minutes 6] [--rate 100] [--clients 200]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
read -r one five _ < /proc/loadavg
echo "load average before the soak: $one (1 min), $five (5 min) on $(nproc) cores" >&2
dotnet build "$root/bench/soak" -c Release -nologo -v quiet "-clp:ErrorsOnly;NoSummary"
exec dotnet "$root/bench/soak/bin/Release/net10.0/ChartBuster.Soak.dll" "$@"
