// The hostile corpus (tests/hostile/cases.json) through the CLI and the JS API: every input gives
// its expected outcome in both, and never a crash, a hang or a lost row.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { hostileCases, fileOf, parseCsv, workDir, modelCaseList, AS_OF } from '../hostile/cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = process.env.LEADSCORE_DIST ?? path.join(root, 'build/wasm/dist');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');

let scorer;
before(async () => {
  const api = await import(path.join(dist, 'index.mjs'));
  scorer = await api.createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
});

const bytesOf = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

function runCli(args) {
  const run = spawnSync(cli, args, { maxBuffer: 1 << 30, timeout: 120000 });
  assert.equal(run.error, undefined, `the CLI did not finish: ${run.error}`);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr.toString() };
}

/** The expectations a summary (CLI's --summary or the API's) must meet. */
function checkSummary(summary, expect, where) {
  assert.equal(summary.rows, expect.rows, `${where}: rows`);
  assert.deepEqual(summary.issues.by_code, expect.issues ?? {}, `${where}: issues`);
  if (expect.encoding) assert.equal(summary.file.encoding, expect.encoding, `${where}: encoding`);
  if (expect.delimiter) assert.equal(summary.file.delimiter, expect.delimiter, `${where}: delimiter`);
  assert.equal(summary.formula_cells.count, expect.formula_cells ?? 0, `${where}: cells a spreadsheet may run`);
  if (expect.headers) assert.deepEqual(summary.mapping.columns.map((c) => c.header), expect.headers, `${where}: headers`);
  const { cold, warm, hot } = summary.temperatures;
  assert.equal(cold.count + warm.count + hot.count, expect.rows, `${where}: every lead has a temperature`);
}

const columnOf = (summary, header) => summary.mapping.columns.find((c) => c.header === header).index;

function cliList(c, file) {
  const out = path.join(workDir, 'cli-out.csv');
  const summaryFile = path.join(workDir, 'cli-summary.json');
  const run = runCli(['score', file, '-o', out, '--summary', summaryFile, '-q', '--as-of', AS_OF]);
  if (c.expect.error) {
    assert.notEqual(run.status, 0, 'the CLI accepted it');
    assert.ok(run.stderr.includes(c.expect.error), `the CLI said: ${run.stderr}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  checkSummary(summary, c.expect, 'CLI');
  for (const [row, header, text] of c.expect.cells ?? []) {
    const explained = runCli(['explain', file, '--row', String(row + 1), '--as-of', AS_OF]);
    assert.equal(explained.status, 0, explained.stderr);
    assert.equal(JSON.parse(explained.stdout).cells[header], text, `CLI: row ${row}, ${header}`);
  }
  if (c.expect.neutralized) {
    assert.equal(runCli(['score', file, '-o', out, '-q', '--as-of', AS_OF, '--neutralize-formulas']).status, 0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    for (const [row, header, text] of c.expect.neutralized) assert.equal(rows[row + 1][rows[0].indexOf(header)], text, `CLI: row ${row}, ${header}`);
  }
}

async function apiList(c, file) {
  const bytes = readFileSync(file);
  let list;
  try {
    list = await scorer.scoreFile(bytes, { asOf: AS_OF });
  } catch (error) {
    if (!c.expect.error) throw error;
    assert.equal(error.code, c.expect.error, error.message);
    return;
  }
  try {
    assert.equal(c.expect.error, undefined, 'the API accepted it');
    const summary = list.summary();
    checkSummary(summary, c.expect, 'API');
    for (const [row, header, text] of c.expect.cells ?? []) {
      const [lead] = list.query({ sort: 'row', offset: row, limit: 1 }).rows;
      assert.equal(lead.cells[columnOf(summary, header)], text, `API: row ${row}, ${header}`);
    }
    const exported = bytesOf(list.exportCsv());
    if (c.expect.neutralized) {
      const rows = parseCsv(bytesOf(list.exportCsv({ neutralizeFormulas: true })).toString('utf8'));
      for (const [row, header, text] of c.expect.neutralized) assert.equal(rows[row + 1][rows[0].indexOf(header)], text, `API: row ${row}, ${header}`);
    }
    // Small inputs again in 7-byte pieces: chunks split anywhere give the same list.
    if (bytes.length < 1 << 20) {
      const chunked = await scorer.scoreFile(bytes, { asOf: AS_OF, chunkBytes: 7 });
      try {
        assert.deepEqual(chunked.summary(), summary, 'API: the summary read in 7-byte pieces');
        assert.ok(bytesOf(chunked.exportCsv()).equals(exported), 'API: the export read in 7-byte pieces');
      } finally {
        chunked.close();
      }
    }
  } finally {
    list.close();
  }
}

function cliModel(c) {
  const run = runCli(['check-model', c.file]);
  if (c.expect.model_error) {
    assert.notEqual(run.status, 0, 'the CLI accepted the model');
    assert.ok(run.stderr.includes(c.expect.model_error), `the CLI said: ${run.stderr}`);
    return;
  }
  assert.equal(run.status, 0, run.stderr);
  const scored = runCli(['score', modelCaseList, '--model', c.file, '-o', path.join(workDir, 'cli-model-out.csv'), '-q', '--as-of', AS_OF]);
  assert.equal(scored.status, 0, scored.stderr);
}

async function apiModel(c) {
  const text = readFileSync(c.file, 'utf8');
  const errors = scorer.checkModel(text);
  if (c.expect.model_error) {
    assert.ok(errors.some((e) => e.code === c.expect.model_error), `the API said: ${JSON.stringify(errors).slice(0, 300)}`);
    await assert.rejects(scorer.scoreFile(readFileSync(modelCaseList), { asOf: AS_OF, model: text }), (e) => e.code === c.expect.model_error);
    return;
  }
  assert.deepEqual(errors, []);
  const list = await scorer.scoreFile(readFileSync(modelCaseList), { asOf: AS_OF, model: text });
  try {
    assert.equal(list.summary().rows, 5);
  } finally {
    list.close();
  }
}

for (const c of hostileCases()) {
  test(`hostile ${c.name} (${c.why}): CLI and JS API`, async () => {
    if (c.kind === 'model') {
      cliModel(c);
      await apiModel(c);
      return;
    }
    const file = fileOf(c);
    assert.ok(statSync(file).size >= 0);
    cliList(c, file);
    await apiList(c, file);
  });
}
