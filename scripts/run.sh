#!/bin/sh
# The main job: installs what is missing, builds everything (native core, CLI and tests; the same
# core as WebAssembly), then scores a lead list with the CLI: the bundled sample, or INPUT.csv.
#   scripts/run.sh [INPUT.csv]
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
echo "== building the native core, CLI and tests (build/native)"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j"$jobs"
echo "== building the same core as WebAssembly (build/wasm)"
emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/wasm -j"$jobs"

mkdir -p out
if [ $# -ge 1 ]; then
  input=$1
  name=$(basename "$input" .csv)
  as_of=""
else
  input=samples/b2b-leads.csv
  name=b2b-leads
  as_of="--as-of 2026-11-20"  # the day the sample's activity dates were written for
fi
echo "== scoring $input"
# shellcheck disable=SC2086
build/native/cli/leadscore score "$input" -o "out/$name-scored.csv" --summary "out/$name-summary.json" $as_of
echo
echo "Scored list: out/$name-scored.csv"
echo "Summary:     out/$name-summary.json"
echo "Try also:    build/native/cli/leadscore columns $input"
