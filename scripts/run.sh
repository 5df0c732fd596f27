#!/bin/sh
# The main job: installs what is missing, builds everything (native core, CLI and tests; the same
# core as WebAssembly with the page), then serves the page on localhost.
#   scripts/run.sh              serve the page (PORT=8080 by default)
#   scripts/run.sh INPUT.csv    score INPUT.csv with the CLI into out/ instead
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh

jobs=$(nproc 2>/dev/null || echo 2)
echo "== building the native core, CLI and tests (build/native)"
cmake --preset native-release >/dev/null
cmake --build --preset native-release -j"$jobs"
echo "== building the same core as WebAssembly (build/wasm)"
cmake --preset wasm-release >/dev/null
cmake --build --preset wasm-release -j"$jobs"

if [ $# -ge 1 ]; then
  # A list given on the command line is scored with the CLI.
  mkdir -p out
  name=$(basename "$1" .csv)
  build/native/cli/leadscore score "$1" -o "out/$name-scored.csv" --summary "out/$name-summary.json"
  echo "Scored list: out/$name-scored.csv"
  echo "Summary:     out/$name-summary.json"
  exit 0
fi

echo "== serving the page (Ctrl-C to stop); open the address below and click \"Try with sample data\""
exec node scripts/serve.mjs build/wasm/site --port "${PORT:-8080}"
