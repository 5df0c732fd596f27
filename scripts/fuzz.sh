#!/bin/sh
# The fuzz targets in tests/fuzz under AddressSanitizer + UndefinedBehaviorSanitizer, SECONDS each
# (default 60), two at a time:
#   scripts/fuzz.sh [SECONDS]
# Builds build/fuzz with clang, seeds each corpus from the project's fixtures and hostile inputs,
# replays every input in tests/fuzz/regressions/TARGET (past findings) first, then fuzzes. Prints
# "fuzz TARGET: ok (N runs)" or "fuzz TARGET: FOUND ..." with the input kept in build/fuzz/crashes;
# the last line is "N passed, N failed". Exit status 0 only if no target found anything.
set -u
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets="fuzz_csv_reader fuzz_scorer fuzz_values fuzz_model fuzz_workbook"
mkdir -p build/fuzz/crashes
if ! cmake --preset native-fuzz >build/fuzz.log 2>&1 ||
   ! cmake --build --preset native-fuzz -j"$(nproc 2>/dev/null || echo 2)" >>build/fuzz.log 2>&1; then
  tail -30 build/fuzz.log
  echo "fuzz: build failed (build/fuzz.log)"
  echo "0 passed, 1 failed"
  exit 1
fi

# seed TARGET FILE...: the corpus starts from the given files (small ones: inputs stay under 64 KiB).
seed() {
  dir=build/fuzz/corpus/$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do
    if [ -f "$f" ] && [ "$(wc -c <"$f")" -le 65536 ]; then cp "$f" "$dir/"; fi
  done
}
seed fuzz_csv_reader tests/fixtures/*.csv tests/hostile/*.csv tests/hostile/*.tsv
seed fuzz_scorer tests/fixtures/*.csv tests/hostile/*.csv tests/hostile/*.tsv
seed fuzz_model tests/fixtures/*.json tests/hostile/model_*.json
build/fuzz/cli/leadscore default-model >build/fuzz/corpus/fuzz_model/default-model.json
# Workbooks: the hostile ones and the test's (a first byte 0: read as a whole archive), and a
# sheet, its shared strings and styles split by NUL bytes (a first byte 1).
mkdir -p build/fuzz/corpus/fuzz_workbook
node -e "import('./tests/hostile/generate.mjs').then(({ generate, generatedNames }) => {
  for (const name of generatedNames.filter((n) => /workbook|xls|ods/.test(n) && n !== 'workbook_zip_bomb')) generate(name, 'build/hostile-work');
})" && for f in build/hostile-work/*.xlsx build/hostile-work/*.ods; do
  [ -f "$f" ] && { printf '\000'; cat "$f"; } >"build/fuzz/corpus/fuzz_workbook/$(basename "$f")"
done
printf '\001<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>46325.5</v></c><c t="inlineStr"><is><r><t>a_x000D_</t></r></is></c></row><row r="3"><c r="C3" t="b"><v>1</v></c></row></sheetData></worksheet>\000<sst><si><t>Email &amp; more</t></si><si><r><t>x</t></r><rPh><t>y</t></rPh></si></sst>\000<styleSheet><numFmts><numFmt numFmtId="164" formatCode="#,##0.00;(#,##0)"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="22"/><xf numFmtId="164"/></cellXfs></styleSheet>' >build/fuzz/corpus/fuzz_workbook/seed-parts
mkdir -p build/fuzz/corpus/fuzz_values
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"build/fuzz/corpus/fuzz_values/seed-$n"
done <tests/fuzz/values.seeds

# run TARGET: replays its regressions, then fuzzes; the verdict goes to build/fuzz/TARGET.verdict.
run() {
  target=$1
  log=build/fuzz/$target.log
  binary=build/fuzz/tests/fuzz/$target
  : >"$log"
  if [ -d "tests/fuzz/regressions/$target" ] && ! "$binary" tests/fuzz/regressions/"$target"/* >>"$log" 2>&1; then
    echo "fuzz $target: FOUND a past finding again (tests/fuzz/regressions/$target; log: $log)" >"build/fuzz/$target.verdict"
    return
  fi
  dict=""
  [ "$target" = fuzz_model ] && dict="-dict=tests/fuzz/json.dict"
  # shellcheck disable=SC2086
  if "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $dict \
       -artifact_prefix="build/fuzz/crashes/$target-" "build/fuzz/corpus/$target" >>"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz $target: ok (${runs:-?} runs in ${seconds} s)" >"build/fuzz/$target.verdict"
  else
    echo "fuzz $target: FOUND a problem (input in build/fuzz/crashes; log: $log)" >"build/fuzz/$target.verdict"
  fi
}

set -- $targets
while [ $# -gt 0 ]; do
  run "$1" &
  if [ $# -gt 1 ]; then run "$2" & fi
  wait
  shift
  [ $# -gt 0 ] && shift
done

passed=0
failed=0
for target in $targets; do
  cat "build/fuzz/$target.verdict"
  if grep -q ": ok" "build/fuzz/$target.verdict"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
