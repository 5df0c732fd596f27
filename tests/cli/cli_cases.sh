#!/bin/sh
# One case of the leadscore CLI tests: `cli_cases.sh CASE`. ctest runs each case as its own test.
# Needs LEADSCORE (the binary), FIXTURES, SAMPLES and WORK (a scratch folder) in the environment.
set -eu
case_name=$1
mkdir -p "$WORK"
out="$WORK/$case_name"

fail() { echo "FAIL: $*" >&2; exit 1; }
# Runs the CLI, keeping stdout, stderr and the exit code.
run() {
  set +e
  "$LEADSCORE" "$@" >"$out.stdout" 2>"$out.stderr"
  code=$?
  set -e
}

case "$case_name" in
  score_sample)
    run score "$SAMPLES/b2b-leads.csv" -o "$out.csv" --summary "$out.json" --as-of 2026-11-20
    [ "$code" -eq 0 ] || fail "exit $code: $(cat "$out.stderr")"
    grep -q "Scored 500 leads" "$out.stderr" || fail "no summary line"
    [ "$(head -1 "$out.csv" | tr ',' '\n' | tail -6 | head -1)" = "lead_score" ] || fail "appended columns"
    grep -q '"rows": 500' "$out.json" || fail "summary JSON rows"
    # 500 data rows plus the header; the sample's notes hold line breaks, so count records, not lines.
    [ "$(grep -c -E ',(cold|warm|hot),' "$out.csv")" -eq 500 ] || fail "not every row scored"
    ;;
  score_stdin_stdout)
    run score - < "$SAMPLES/b2b-leads.csv"
    [ "$code" -eq 0 ] || fail "exit $code"
    head -1 "$out.stdout" | grep -q "lead_next_action" || fail "scored CSV not on stdout"
    ;;
  score_delimiter_option)
    printf 'Email;Title\nann@acme.com;VP Sales\n' > "$out.in.csv"
    run score "$out.in.csv" --delimiter ',' -q
    [ "$code" -eq 0 ] || fail "exit $code"
    head -1 "$out.stdout" | grep -q '^"\{0,1\}Email;Title' || fail "forced delimiter not used"
    ;;
  refuses_binary)
    run score "$FIXTURES/not_a_csv.png" -o "$out.csv"
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q "csv.not_text" "$out.stderr" || fail "message lacks the error code"
    [ "$(wc -l < "$out.stderr")" -eq 1 ] || fail "not a one-line message"
    ;;
  refuses_empty)
    : > "$out.empty.csv"
    run score "$out.empty.csv"
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q "csv.empty" "$out.stderr" || fail "message lacks csv.empty"
    ;;
  refuses_bad_model)
    run score "$SAMPLES/b2b-leads.csv" --model "$FIXTURES/model_bad_points.json"
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q "/fit/rules/1/points" "$out.stderr" || fail "no JSON path in: $(cat "$out.stderr")"
    ;;
  check_model_lists_all)
    run check-model "$FIXTURES/model_bad_points.json"
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    [ "$(wc -l < "$out.stderr")" -eq 2 ] || fail "expected 2 problems: $(cat "$out.stderr")"
    grep -q "/segments/warm" "$out.stderr" || fail "impossible thresholds not reported"
    ;;
  default_model_round_trip)
    run default-model
    [ "$code" -eq 0 ] || fail "exit $code"
    cp "$out.stdout" "$out.model.json"
    run check-model "$out.model.json"
    [ "$code" -eq 0 ] || fail "default model does not check: $(cat "$out.stderr")"
    grep -q "^ok:" "$out.stdout" || fail "no ok line"
    ;;
  columns)
    run columns "$SAMPLES/b2b-leads.csv"
    [ "$code" -eq 0 ] || fail "exit $code"
    grep -q "Number of Employees *employees" "$out.stdout" || fail "employees not mapped"
    run columns "$SAMPLES/b2b-leads.csv" --json
    grep -q '"employees": "Number of Employees"' "$out.stdout" || fail "JSON mapping"
    ;;
  map_override)
    run score "$SAMPLES/b2b-leads.csv" --map job_title=Notes -q --summary "$out.json"
    [ "$code" -eq 0 ] || fail "exit $code"
    grep -q '"job_title": "Notes"' "$out.json" || fail "override not applied"
    run score "$SAMPLES/b2b-leads.csv" --map job_title=Nope -q
    [ "$code" -eq 2 ] || fail "unknown column accepted (exit $code)"
    ;;
  explain_row)
    run explain "$SAMPLES/b2b-leads.csv" --row 3 --as-of 2026-11-20
    [ "$code" -eq 0 ] || fail "exit $code: $(cat "$out.stderr")"
    grep -q '"row": 3' "$out.stdout" || fail "row number"
    grep -q '"hits": \[' "$out.stdout" || fail "no hits"
    grep -q '"Record ID": "100002"' "$out.stdout" || fail "the third data row's cells"
    run explain "$SAMPLES/b2b-leads.csv" --row 501
    [ "$code" -eq 2 ] || fail "row past the end: exit $code"
    grep -q "500 data rows" "$out.stderr" || fail "message: $(cat "$out.stderr")"
    ;;
  backtest_report)
    printf 'Email,Job Title,Demo Requested,Converted\na@acme.com,CEO,Yes,1\nb@acme.com,VP Sales,Yes,1\nc@gmail.com,Student,No,0\nd@acme.com,Manager,No,0\ne@acme.com,Intern,No,\n' > "$out.in.csv"
    run backtest "$out.in.csv" --as-of 2026-11-20 --json
    [ "$code" -eq 0 ] || fail "exit $code: $(cat "$out.stderr")"
    python3 - "$out.stdout" <<'PY' || fail "report: $(cat "$out.stdout")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"] == {"column": "Converted", "kind": "flag"}, r["outcome"]
b = r["report"]
assert (b["leads"], b["unknown"], b["converted"]) == (4, 1, 2), b
assert sum(d["converted"] for d in b["deciles"]) == 2
assert 0 <= b["auc"] <= 1
PY
    run backtest "$out.in.csv" --as-of 2026-11-20
    [ "$code" -eq 0 ] || fail "exit $code"
    grep -q 'AUC' "$out.stdout" || fail "text report: $(cat "$out.stdout")"
    ;;
  backtest_compare)
    printf 'Email,Job Title,Demo Requested,Lead Status\na@acme.com,CEO,Yes,Closed - Converted\nb@acme.com,VP Sales,Yes,Closed - Not Converted\nc@gmail.com,Student,No,Open\n' > "$out.in.csv"
    "$LEADSCORE" default-model | python3 -c 'import json,sys; m=json.load(sys.stdin); m["segments"]["hot"]=99; m["segments"]["warm"]=98; json.dump(m, sys.stdout)' > "$out.model.json"
    run backtest "$out.in.csv" --compare "$out.model.json" --as-of 2026-11-20 --json
    [ "$code" -eq 0 ] || fail "exit $code: $(cat "$out.stderr")"
    python3 - "$out.stdout" <<'PY' || fail "comparison: $(cat "$out.stdout")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["outcome"]["kind"] == "lead_status"
assert (r["report"]["leads"], r["report"]["unknown"]) == (2, 1)
changes = r["compare"]["changes"]
# warm from 98, hot from 99: every lead that was warm or hot is cold now, and listed.
assert changes["changed"] >= 1 and len(changes["first"]) == changes["changed"], changes
assert all(c["to"] == "cold" and c["from"] != "cold" for c in changes["first"])
assert sum(changes["transitions"].values()) == changes["changed"]
PY
    ;;
  train_model)
    python3 -c '
import random
random.seed(3)
print("Email,Plan,Visits,Tags,Converted")
for i in range(600):
    plan = random.choice(["Pro", "Basic", "Free"]); visits = random.randint(0, 30)
    p = 0.15 + 0.5 * (plan == "Pro") + 0.01 * visits
    won = random.random() < p
    tag = "Won" if won else "Lost"
    print(f"u{i}@x.com,{plan},{visits},{tag},{int(won)}")
' > "$out.in.csv"
    run train "$out.in.csv" -o "$out.model.json" --report "$out.report.json" --seed 3 --as-of 2026-11-20
    [ "$code" -eq 0 ] || fail "exit $code: $(cat "$out.stderr")"
    grep -q "cross-validated AUC" "$out.stderr" || fail "summary: $(cat "$out.stderr")"
    grep -q 'left out "Tags"' "$out.stderr" || fail "leakage not said: $(cat "$out.stderr")"
    run check-model "$out.model.json"
    [ "$code" -eq 0 ] || fail "the learned model is not valid: $(cat "$out.stderr")"
    python3 - "$out.report.json" "$out.model.json" <<'PY' || fail "report"
import json, sys
r = json.load(open(sys.argv[1])); m = json.load(open(sys.argv[2]))
assert r["rows"] == 600 and r["folds"] == 5
assert r["cv"]["auc"] > 0.6, r["cv"]
assert any(rule["field"] == "column:Plan" for rule in m["fit"]["rules"] + m.get("engagement", {}).get("rules", []))
PY
    # The learned model back-tests on its own list like any other.
    run backtest "$out.in.csv" --model "$out.model.json" --json
    [ "$code" -eq 0 ] || fail "backtest with the learned model: $(cat "$out.stderr")"
    run train "$out.in.csv" --folds 1
    [ "$code" -eq 2 ] || fail "--folds 1: exit $code"
    ;;
  backtest_no_outcome)
    printf 'Email,Job Title\na@acme.com,CEO\n' > "$out.in.csv"
    run backtest "$out.in.csv"
    [ "$code" -eq 1 ] || fail "exit $code"
    grep -q "has no outcome column" "$out.stderr" || fail "message: $(cat "$out.stderr")"
    run backtest "$out.in.csv" --outcome Nope
    grep -q 'has no column "Nope"' "$out.stderr" || fail "message: $(cat "$out.stderr")"
    ;;
  windows_1252)
    printf 'Name,Title\nJos\351 M\374ller,Directeur g\351n\351ral\n' > "$out.in.csv"
    run score "$out.in.csv" -o "$out.csv"
    [ "$code" -eq 0 ] || fail "exit $code"
    grep -q "read as Windows-1252" "$out.stderr" || fail "transcoding not said: $(cat "$out.stderr")"
    grep -q "José Müller" "$out.csv" || fail "not transcoded to UTF-8"
    ;;
  never_overwrites_input)
    cp "$SAMPLES/b2b-leads.csv" "$out.in.csv"
    run score "$out.in.csv" -o "$out.in.csv"
    [ "$code" -eq 2 ] || fail "exit $code, expected 2"
    cmp -s "$SAMPLES/b2b-leads.csv" "$out.in.csv" || fail "the input was changed"
    ;;
  sample)
    run sample --rows 300 --seed 5 --as-of 2026-11-20 -o "$out.a.csv"
    [ "$code" -eq 0 ] || fail "exit $code"
    run sample --rows 300 --seed 5 --as-of 2026-11-20
    cmp -s "$out.a.csv" "$out.stdout" || fail "the same seed gave other bytes"
    run score "$out.a.csv" --as-of 2026-11-20 -o "$out.scored.csv"
    grep -q "Scored 300 leads" "$out.stderr" || fail "the sample does not score: $(cat "$out.stderr")"
    run sample --rows many
    [ "$code" -eq 2 ] || fail "bad --rows accepted"
    ;;
  usage_errors)
    run frobnicate
    [ "$code" -eq 2 ] || fail "unknown command: exit $code"
    run score
    [ "$code" -eq 2 ] || fail "missing input: exit $code"
    run score x.csv --as-of yesterday
    [ "$code" -eq 2 ] || fail "bad date: exit $code"
    run score /nonexistent/file.csv
    [ "$code" -eq 1 ] || fail "missing file: exit $code"
    ;;
  *)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
