// Every output a user can keep, pinned as SHA-256 digests (tests/digests.json): the CLI's scored
// CSV, summary, mapping and explanations, the API's export and explanations, back-tests, learned
// models and the SQL text, on the fixtures, the hostile corpus, generated lists and the real lists
// in ../shared/data (skipped with a message when absent). A change to the core's structure must
// leave every digest as it is; a change of behaviour updates them on purpose:
//   LEADSCORE_UPDATE_DIGESTS=1 node --test tests/node/digests.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { hostileCases, fileOf, modelCaseList, AS_OF } from '../hostile/cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = process.env.LEADSCORE_DIST ?? path.join(root, 'build/wasm/dist');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
const shared = path.resolve(root, '../shared/data');
const work = path.join(root, 'build/digests-work');
const digestsFile = path.join(root, 'tests/digests.json');
const updating = process.env.LEADSCORE_UPDATE_DIGESTS === '1';

const expected = existsSync(digestsFile) ? JSON.parse(readFileSync(digestsFile, 'utf8')) : {};
const seen = {};
let scorer;

before(async () => {
  mkdirSync(work, { recursive: true });
  const api = await import(path.join(dist, 'index.mjs'));
  scorer = await api.createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
});

after(() => {
  if (!updating) return;
  for (const key of Object.keys(seen)) {
    if (key in expected && expected[key] !== seen[key]) console.log(`# digest changed: ${key}`);
    if (!(key in expected)) console.log(`# digest added: ${key}`);
  }
  const merged = { ...expected, ...seen };
  const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
  writeFileSync(digestsFile, `${JSON.stringify(sorted, null, 1)}\n`);
});

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

/** Checks (or, when updating, records) the digest of `bytes` under `key`. */
function pin(key, bytes) {
  const digest = sha256(bytes);
  seen[key] = digest;
  if (updating) return;
  assert.ok(key in expected, `no digest recorded for ${key} (run with LEADSCORE_UPDATE_DIGESTS=1 once the change is meant)`);
  assert.equal(digest, expected[key], `${key} changed`);
}

function leadscore(args) {
  const run = spawnSync(cli, args, { maxBuffer: 1 << 30, timeout: 300000 });
  assert.equal(run.error, undefined, `leadscore ${args.join(' ')} did not finish: ${run.error}`);
  assert.equal(run.status, 0, `leadscore ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

/** A JSON text with the keys that hold timings removed (they differ from run to run). */
function withoutTimings(text) {
  const strip = (value) => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([k]) => !/seconds$/.test(k)).map(([k, v]) => [k, strip(v)]));
  };
  return JSON.stringify(strip(JSON.parse(text)));
}

const realLists = [
  ['xeducation', 'real/xeducation/Leads.csv'],
  ['xeducation-variant', 'real/xeducation/Leads_variant_9237rows_37cols.csv'],
  ['bank-marketing', 'real/bank-marketing/bank-additional.csv'],
  ['olist-mql', 'real/olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv'],
  ['olist-deals', 'real/olist-marketing-funnel/olist_closed_deals_dataset.csv'],
];

/** Generated demo lists, written once per run by the CLI. */
function generated(name, args) {
  const file = path.join(work, `${name}.csv`);
  writeFileSync(file, leadscore(['sample', '--as-of', AS_OF, ...args]));
  return file;
}

/** The outputs of one list through the CLI and the API. */
async function pinList(name, file, { rows: wanted = [1, 2], model } = {}) {
  const modelArgs = model ? ['--model', model] : [];
  const summaryFile = path.join(work, 'summary.json');
  const scored = leadscore(['score', file, '--as-of', AS_OF, '-q', '--summary', summaryFile, ...modelArgs]);
  pin(`score ${name}`, scored);
  const summary = readFileSync(summaryFile);
  pin(`summary ${name}`, summary);
  pin(`columns ${name}`, leadscore(['columns', file, '--json', ...modelArgs]));
  const rows = wanted.filter((r) => r <= JSON.parse(summary).rows);
  const explained = rows.map((r) => leadscore(['explain', file, '--row', String(r), '--as-of', AS_OF, ...modelArgs]));
  pin(`explain ${name}`, Buffer.concat(explained));

  const list = await scorer.scoreFile(readFileSync(file), { asOf: AS_OF, model: model ? readFileSync(model, 'utf8') : undefined });
  try {
    assert.equal(sha256(bytesOf(list.exportCsv())), sha256(scored), `${name}: the API's export is the CLI's`);
    pin(`api summary ${name}`, JSON.stringify(list.summary()));
    pin(`api explain ${name}`, JSON.stringify(rows.map((r) => list.explain(r - 1))));
  } finally {
    list.close();
  }
}

test('digests: the fixtures and the sample', async () => {
  await pinList('sample', path.join(root, 'samples/b2b-leads.csv'), { rows: [1, 250, 500] });
  await pinList('tricky', path.join(root, 'tests/fixtures/tricky_leads.csv'), { rows: [1, 3, 5] });
});

test('digests: generated lists, plain and free text', async () => {
  await pinList('generated', generated('generated', ['--rows', '20000', '--seed', '11']), { rows: [1, 9999, 20000] });
  await pinList('generated-free-text', generated('generated-free-text', ['--rows', '20000', '--seed', '12', '--free-text']),
    { rows: [1, 9999, 20000] });
});

test('digests: the hostile corpus', async () => {
  for (const c of hostileCases()) {
    if (c.kind === 'model') {
      if (c.expect.model_ok) await pinList(`tricky with ${c.name}`, modelCaseList, { model: c.file, rows: [1, 2] });
    } else if (!c.expect.error) {
      await pinList(`hostile ${c.name}`, fileOf(c), { rows: [1] });
    }
  }
});

test('digests: the real lists, back-tests and learned models', async (t) => {
  if (!existsSync(shared)) {
    t.skip(`the real lists are not at ${shared}`);
    return;
  }
  for (const [name, relative] of realLists) {
    const file = path.join(shared, relative);
    await pinList(name, file, { rows: [1, 500, 5000] });
  }
  for (const name of ['xeducation', 'bank-marketing']) {
    const file = path.join(shared, realLists.find(([n]) => n === name)[1]);
    pin(`backtest ${name}`, withoutTimings(leadscore(['backtest', file, '--json', '--as-of', AS_OF])));
    const modelFile = path.join(work, `${name}-model.json`);
    const reportFile = path.join(work, `${name}-report.json`);
    leadscore(['train', file, '-o', modelFile, '--report', reportFile, '--as-of', AS_OF, '--seed', '7']);
    pin(`train model ${name}`, readFileSync(modelFile));
    pin(`train report ${name}`, withoutTimings(readFileSync(reportFile, 'utf8')));
    await pinList(`${name} with its learned model`, file, { model: modelFile, rows: [1, 500] });
  }
});

test('digests: the model as SQL in every dialect', () => {
  const mappingFile = path.join(work, 'mapping.json');
  writeFileSync(mappingFile, leadscore(['columns', path.join(root, 'samples/b2b-leads.csv'), '--json']));
  for (const dialect of ['postgres', 'duckdb', 'sqlite', 'bigquery', 'snowflake', 'spark', 'trino']) {
    pin(`sql ${dialect}`, leadscore(['sql', '--dialect', dialect, '--columns', mappingFile, '--key', 'Email', '--as-of', AS_OF]));
    pin(`sql ${dialect} kitchen sink`, leadscore(['sql', '--dialect', dialect, '--model',
      path.join(root, 'tests/warehouse/kitchen_sink_model.json'), '--columns', mappingFile, '--key', 'Email', '--as-of', AS_OF]));
  }
});
