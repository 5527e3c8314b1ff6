#!/bin/sh
# Measures a model set on fresh synthetic coils from a seed that training (1001) and tuning (2002)
# never use, through the app's own pipeline: synth -> inspect -> score.
#   sh models/training/quality.sh [models-dir] [seed] [count]
set -e
MODELS=${1:-models/default}
SEED=${2:-777}
COUNT=${3:-300}
DIR=${TMPDIR:-/tmp}/coilscope-quality-$SEED-$COUNT
rm -rf "$DIR"
npx coilscope synth "$DIR" --count "$COUNT" --seed "$SEED"
npx coilscope inspect "$DIR" --models "$MODELS" --out "$DIR.csv" --format kaggle2019
npx coilscope score "$DIR.csv" "$DIR/truth.csv" --json
