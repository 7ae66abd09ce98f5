# Sourced by run.sh and scoring.sh: builds the preprocess function and the experiment harness into work/, cleans
# the six real decade files into work/ready-DECADE/ready.csv (once), and sets `inputs` to their --input arguments.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$here/work"
mkdir -p "$work"
dotnet build "$root/functions/ChartBuster.Preprocess" -c Release -o "$work/prep-bin" -v quiet -nologo >&2
dotnet build "$here/ChartBuster.ModelExperiments" -c Release -o "$work/experiments-bin" -v quiet -nologo >&2
inputs=()
for decade in 60 70 80 90 00 10; do
  out="$work/ready-$decade"
  [ -f "$out/ready.csv" ] || dotnet "$work/prep-bin/bootstrap.dll" --input "$root/../shared/data/hit-predictor/dataset-of-${decade}s.csv" --output-dir "$out" >/dev/null
  inputs+=(--input "$out/ready.csv")
done
