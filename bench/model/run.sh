#!/usr/bin/env bash
# Model experiments (issue 13): every idea scored by 5-fold cross-validation grouped by artist on the training
# pool that `train` uses (its artist-grouped 20 % validation holdout is left untouched), the same folds for
# every idea, out-of-fold predictions cached in bench/model/work/oof-SEED/ (ensembles and calibrations are
# then judged without refitting). Prints one Markdown row per idea. See EXPERIMENTS.md for the log.
#
# usage: bench/model/run.sh [--cv-seed N] [--reference IDEA] IDEA…      (IDEA "all": every single-model idea)
#        e.g. bench/model/run.sh lgbm-reg31 gam-3000-0.01 'ens:lgbm-reg31+gam-3000-0.01' 'platt:lgbm-reg31'
set -euo pipefail
# shellcheck source=prepare.sh
source "$(dirname "$0")/prepare.sh"
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; .NET $(dotnet --version); $(date -u +%Y-%m-%d)"
dotnet "$work/experiments-bin/ChartBuster.ModelExperiments.dll" "${inputs[@]}" --work "$work" "$@"
