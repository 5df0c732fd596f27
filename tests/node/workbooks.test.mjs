// Workbooks written by real spreadsheet programs, made in the test run from a generated list:
// LibreOffice (as Excel saves them: shared strings, styles, deflated parts) and openpyxl (another
// writer). Each must give the rows, cells and scores of the same list saved as CSV, in the CLI and
// the JS API alike. Cases skip with a message when the program is not installed (the test command
// installs both).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseCsv } from '../hostile/cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = process.env.LEADSCORE_DIST ?? path.join(root, 'build/wasm/dist');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
const work = path.join(root, 'build/node-work/workbooks');
const AS_OF = '2026-11-20';
// Debian's Python, which has python3-openpyxl (a pyenv shim on PATH may not).
const PYTHON = '/usr/bin/python3';

let scorer;
let list;  // the generated list, its dates ISO and its durations in seconds (see before())
before(async () => {
  mkdirSync(work, { recursive: true });
  const api = await import(path.join(dist, 'index.mjs'));
  scorer = await api.createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
  // A spreadsheet program reads "11/19/2025" and "5:40" by its locale; the same list with ISO
  // dates and seconds is read alike everywhere.
  const sample = run(cli, ['sample', '--rows', '3000', '--seed', '26', '--as-of', AS_OF, '--free-text']).stdout.toString();
  const rows = parseCsv(sample);
  const created = rows[0].indexOf('Create Date');
  const onSite = rows[0].indexOf('Time on Site');
  for (const row of rows.slice(1)) {
    const us = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(row[created]);
    if (us) row[created] = `${us[3]}-${us[1]}-${us[2]}`;
    const clock = /^(\d+):(\d\d)$/.exec(row[onSite]);
    if (clock) row[onSite] = String(Number(clock[1]) * 60 + Number(clock[2]));
  }
  list = path.join(work, 'leads.csv');
  writeFileSync(list, rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n');
});

const csvCell = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

function run(program, args, options = {}) {
  const result = spawnSync(program, args, { maxBuffer: 1 << 30, timeout: 180000, ...options });
  assert.equal(result.error, undefined, `${program} did not finish: ${result.error}`);
  assert.equal(result.status, 0, `${program} ${args.join(' ')}: ${result.stderr}`);
  return result;
}

const has = (program, args) => spawnSync(program, args, { timeout: 60000 }).status === 0;
const haveLibreOffice = () => has('soffice', ['--version']);
const haveOpenpyxl = () => existsSync(PYTHON) && has(PYTHON, ['-c', 'import openpyxl']);

/** LibreOffice's conversion of `file` to `format` (a filter spec) in `dir`: the new file's path. */
function libreOffice(file, format, dir, extraArgs = []) {
  mkdirSync(dir, { recursive: true });
  // Its own profile in the work folder: two runs never share one, and the user's is untouched.
  run('soffice', [`-env:UserInstallation=file://${path.join(work, 'lo-profile')}`, '--headless', ...extraArgs,
    '--convert-to', format, '--outdir', dir, file]);
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const made = readdirSync(dir).find((name) => name.startsWith(`${base}.`));
  return path.join(dir, made);
}

const scoreCli = (file, extra = []) => run(cli, ['score', file, '--as-of', AS_OF, '-q', ...extra]).stdout.toString();

async function scoreApi(source, options = {}) {
  const scored = await scorer.scoreFile(source, { asOf: AS_OF, ...options });
  try {
    return { csv: Buffer.concat(scored.exportCsv().map((p) => Buffer.from(p))).toString(), summary: scored.summary() };
  } finally {
    scored.close();
  }
}

// The scored CSV's appended columns, row by row: what a lead scored, whatever its cells' text.
const scoresOf = (csv) => parseCsv(csv).map((row) => row.slice(-6).join('|'));

test('a workbook LibreOffice writes scores as the CSV LibreOffice saves from it, and as the list it came from', async (t) => {
  if (!haveLibreOffice()) return t.skip('LibreOffice (libreoffice-calc-nogui) is not installed: the test command installs it');
  // 44 comma, 34 quote, 76 UTF-8, 1 from the first line (without it the CSV is read as Latin-1).
  const workbook = libreOffice(list, 'xlsx', path.join(work, 'libreoffice'), ['--infilter=CSV:44,34,76,1']);
  const savedAsCsv = libreOffice(workbook, 'csv:Text - txt - csv (StarCalc):44,34,76,1', path.join(work, 'libreoffice-csv'));

  const fromWorkbook = scoreCli(workbook);
  assert.equal(fromWorkbook, scoreCli(savedAsCsv), 'the workbook and the CSV LibreOffice saves from it differ');
  assert.deepEqual(scoresOf(fromWorkbook), scoresOf(scoreCli(list)), 'the workbook scores differently from its list');

  const api = await scoreApi(new Blob([readFileSync(workbook)]));
  assert.equal(api.csv, fromWorkbook, 'the JS API and the CLI differ on the workbook');
  assert.equal(api.summary.rows, 3000);
  assert.deepEqual(api.summary.workbook, {
    sheet: 'leads', worksheets: 1, header_row: 1, rows_above_header: 0, total_rows: 0,
    shared_strings: api.summary.workbook.shared_strings, shared_string_bytes: api.summary.workbook.shared_string_bytes,
    date_system: 1900, note: 'Sheet "leads".',
  });
  assert.ok(api.summary.workbook.shared_strings > 3000, 'the text cells are shared strings');
  assert.deepEqual(await scorer.workbookSheets(new Blob([readFileSync(workbook)])),
    [{ name: 'leads', visible: true, worksheet: true, rows: 3001 }]);

  // Progress runs through reading the workbook, then its rows, never past the file's size.
  const seen = [];
  const bytes = readFileSync(workbook);
  await scoreApi(new Blob([bytes]), { onProgress: (progress) => seen.push(progress) });
  assert.ok(seen.length >= 2 && seen[0].rows === 0 && seen.at(-1).rows > 0, JSON.stringify(seen.slice(0, 3)));
  assert.ok(seen.every((p, i) => p.bytes <= bytes.length && (i === 0 || p.bytes >= seen[i - 1].bytes)), 'progress goes forward');
  assert.ok(seen.filter((p) => p.textSize).every((p) => p.textBytes <= p.textSize));

  // From a stream, read whole first (its directory is at its end).
  const stream = new Blob([readFileSync(workbook)]).stream();
  assert.equal((await scoreApi(stream)).csv, fromWorkbook, 'a workbook from a stream');
});

// openpyxl: numbers as numbers, ISO dates as dates (yyyy-mm-dd), the rest as text, in a sheet
// "Leads" after a hidden sheet and before another one.
const OPENPYXL = `
import csv, datetime, re, sys
from openpyxl import Workbook
book = Workbook()
notes = book.active
notes.title = 'Read me'
notes['A1'] = 'not the list'
notes.sheet_state = 'hidden'
leads = book.create_sheet('Leads')
with open(sys.argv[1], newline='', encoding='utf-8') as f:
    for r, row in enumerate(csv.reader(f)):
        out = []
        for cell in row:
            if r > 0 and re.fullmatch(r'-?[1-9][0-9]{0,14}|0', cell):
                out.append(int(cell))
            elif r > 0 and re.fullmatch(r'-?[0-9]+\\.[0-9]*[1-9]', cell):
                out.append(float(cell))
            elif r > 0 and re.fullmatch(r'[0-9]{4}-[0-9]{2}-[0-9]{2}', cell):
                out.append(datetime.date.fromisoformat(cell))
            else:
                out.append(cell if cell != '' else None)
        leads.append(out)
for row in leads.iter_rows(min_row=2):
    for cell in row:
        if isinstance(cell.value, datetime.date):
            cell.number_format = 'yyyy-mm-dd'
book.create_sheet('Summary')['A1'] = 'totals'
book.save(sys.argv[2])
`;

test('a workbook openpyxl writes gives the cells and scores of the list saved as CSV, from its first visible sheet', async (t) => {
  if (!haveOpenpyxl()) return t.skip('openpyxl (python3-openpyxl) is not installed: the test command installs it');
  const workbook = path.join(work, 'openpyxl.xlsx');
  run(PYTHON, ['-c', OPENPYXL, list, workbook]);

  const fromList = scoreCli(list);
  assert.equal(scoreCli(workbook), fromList, 'the workbook differs from its list');
  const piped = run(cli, ['score', '-', '--as-of', AS_OF, '-q'], { input: readFileSync(workbook) }).stdout.toString();
  assert.equal(piped, fromList, 'a workbook from standard input, read whole first');
  const columns = JSON.parse(run(cli, ['columns', workbook, '--json']).stdout);
  assert.equal(columns.columns[0].header, 'Record ID');
  const explained = JSON.parse(run(cli, ['explain', workbook, '--row', '2', '--as-of', AS_OF]).stdout);
  assert.deepEqual(explained, JSON.parse(run(cli, ['explain', list, '--row', '2', '--as-of', AS_OF]).stdout));
  const onCsv = spawnSync(cli, ['score', list, '--sheet', 'Leads', '-q']);
  assert.equal(onCsv.status, 2);
  assert.match(onCsv.stderr.toString(), /--sheet is for a workbook/);
  assert.equal(scoreCli(workbook, ['--sheet', 'leads']), fromList, 'a sheet by its name, in any case');
  assert.equal(scoreCli(workbook, ['--sheet', '2']), fromList, 'a sheet by its place');
  const other = spawnSync(cli, ['score', workbook, '--sheet', 'Contacts', '-q']);
  assert.equal(other.status, 1);
  assert.match(other.stderr.toString(), /workbook\.no_sheet: .*"Read me" \(hidden\), "Leads", "Summary"/);

  const bytes = readFileSync(workbook);
  const api = await scoreApi(new Blob([bytes]));
  assert.equal(api.csv, fromList, 'the JS API differs from the list');
  assert.equal(api.summary.workbook.sheet, 'Leads');
  assert.equal(api.summary.workbook.worksheets, 3);
  const summary = await scoreApi(new Uint8Array(bytes), { sheet: 'Summary' });
  assert.equal(summary.summary.rows, 0, 'the one-cell sheet is a header alone');
  await assert.rejects(scorer.scoreFile(new Blob([bytes]), { sheet: 9 }), { code: 'workbook.no_sheet' });
  const sheets = await scorer.workbookSheets(new Blob([bytes]));
  assert.deepEqual(sheets.map(({ name, visible, rows }) => [name, visible, rows > 0]),
    [['Read me', false, true], ['Leads', true, true], ['Summary', true, true]]);
  assert.equal(await scorer.workbookSheets(new Blob([readFileSync(list)])), null, 'a CSV has no sheets');

  // Back-tests and learning read a workbook too.
  const truthList = path.join(work, 'truth.csv');
  writeFileSync(truthList, run(cli, ['sample', '--rows', '800', '--seed', '3', '--as-of', AS_OF, '--truth']).stdout);
  const truthBook = path.join(work, 'truth.xlsx');
  run(PYTHON, ['-c', OPENPYXL, truthList, truthBook]);
  const backtest = (file) => JSON.parse(run(cli, ['backtest', file, '--as-of', AS_OF, '--json']).stdout);
  assert.deepEqual(backtest(truthBook), backtest(truthList), 'the CLI back-test of the workbook');
  const apiBacktest = await scorer.backtest(new Blob([readFileSync(truthBook)]), { asOf: AS_OF });
  assert.deepEqual(apiBacktest.report, backtest(truthList).report, 'the API back-test of the workbook');

  // A list with outcomes to learn from: won more often on the Pro plan and with more visits.
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const lines = ['Email,Plan,Website Visits,Converted'];
  for (let i = 0; i < 600; ++i) {
    const plan = next() < 0.4 ? 'Pro' : 'Free';
    const visits = Math.floor(next() * 30);
    lines.push(`u${i}@x.com,${plan},${visits},${next() < 0.1 + 0.5 * (plan === 'Pro') + 0.01 * visits ? 1 : 0}`);
  }
  const outcomes = path.join(work, 'outcomes.csv');
  writeFileSync(outcomes, `${lines.join('\n')}\n`);
  const outcomesBook = path.join(work, 'outcomes.xlsx');
  run(PYTHON, ['-c', OPENPYXL, outcomes, outcomesBook]);
  const learned = await scorer.learnModel(new Blob([readFileSync(outcomesBook)]), { asOf: AS_OF });
  const learnedFromCsv = await scorer.learnModel(new Blob([readFileSync(outcomes)]), { asOf: AS_OF });
  assert.deepEqual(learned.model, learnedFromCsv.model, 'the model learned from the workbook');
  const trained = (file) => run(cli, ['train', file, '--as-of', AS_OF]).stdout.toString();
  assert.equal(trained(outcomesBook), trained(outcomes), 'the CLI trains on the workbook');
});
