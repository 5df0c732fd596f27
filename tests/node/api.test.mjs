// The public JS API (wasm/js/index.mjs) over the WebAssembly build, run by node --test.
// LEADSCORE_DIST: the built dist folder; LEADSCORE_CLI: the native CLI, to compare outputs byte for byte.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, createReadStream, openSync, readSync, closeSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = process.env.LEADSCORE_DIST ?? path.join(root, 'build/wasm/dist');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
const shared = path.resolve(root, '../shared/data');
const AS_OF = '2026-11-20';

let api;
let scorer;
before(async () => {
  api = await import(path.join(dist, 'index.mjs'));
  scorer = await api.createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
});

const bytesOf = (parts) => Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));

function cliScore(file, extra = []) {
  const run = spawnSync(cli, ['score', file, '--as-of', AS_OF, '-q', ...extra], { maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, run.stderr?.toString());
  return run.stdout;
}

/** The same list through the JS API, streamed from disk in chunks of `chunkBytes`. */
async function apiScore(file, options = {}) {
  return scorer.scoreFile(createReadStream(file, { highWaterMark: options.chunkBytes ?? 65536 }), { asOf: AS_OF, ...options });
}

/** Asserts that two lists export the same bytes and summarise alike, then closes both. */
function assertSameLists(a, b) {
  try {
    assert.ok(bytesOf(a.exportCsv()).equals(bytesOf(b.exportCsv())));
    assert.deepEqual(a.summary(), b.summary());
  } finally {
    a.close();
    b.close();
  }
}

test('loads, reports its version, and its default model is valid', () => {
  assert.match(scorer.version, /^\d+\.\d+\.\d+$/);
  const model = scorer.defaultModel();
  assert.equal(model.leadscore_model, 1);
  assert.deepEqual(scorer.checkModel(model), []);
  assert.ok(scorer.fields().some((f) => f.name === 'employees' && f.group === 'fit'));
});

test('the same cases as the CLI give identical bytes', async (t) => {
  if (!existsSync(cli)) {
    t.skip(`the native CLI is not built at ${cli}`);
    return;
  }
  const cases = [path.join(root, 'samples/b2b-leads.csv'), path.join(root, 'tests/fixtures/tricky_leads.csv')];
  for (const name of ['real/xeducation/Leads.csv', 'real/bank-marketing/bank-additional.csv']) {
    if (existsSync(path.join(shared, name))) cases.push(path.join(shared, name));
    else t.diagnostic(`skipped ${name}: ../shared/data is absent`);
  }
  for (const file of cases) {
    const list = await apiScore(file);
    try {
      assert.ok(bytesOf(list.exportCsv()).equals(cliScore(file)), `export differs from the CLI for ${file}`);
      assert.ok(
        bytesOf(list.exportCsv({ neutralizeFormulas: true })).equals(cliScore(file, ['--neutralize-formulas'])),
        `neutralised export differs for ${file}`,
      );
    } finally {
      list.close();
    }
  }
});

test('the demo generator gives the CLI\'s bytes, and its list scores', async (t) => {
  const parts = scorer.sampleCsv({ rows: 2000, seed: 9, asOf: AS_OF, truth: true });
  const bytes = bytesOf(parts);
  if (existsSync(cli)) {
    const run = spawnSync(cli, ['sample', '--rows', '2000', '--seed', '9', '--as-of', AS_OF, '--truth'], { maxBuffer: 1 << 28 });
    assert.ok(bytes.equals(run.stdout), 'wasm and native generators differ');
  } else {
    t.diagnostic('the native CLI is not built: bytes not compared');
  }
  const list = await scorer.scoreFile(new Blob(parts), { asOf: AS_OF });
  try {
    assert.equal(list.summary().rows, 2000);
    assert.equal(list.summary().issues.count, 0);
  } finally {
    list.close();
  }
  assert.throws(() => scorer.sampleCsv({ asOf: 'tomorrow' }), { code: 'usage.invalid_argument' });
});

test('warming up reads a generated list a piece per turn, stops when told, and changes no result', async () => {
  const file = path.join(root, 'tests/fixtures/tricky_leads.csv');
  const cold = await scorer.scoreFile(readFileSync(file), { asOf: AS_OF });
  const memory = scorer.memory();
  // It gives way: a timer set after it starts fires before it ends.
  let turns = 0;
  const ticking = setInterval(() => ++turns, 0);
  const warmed = await scorer.warmUp();
  clearInterval(ticking);
  assert.equal(warmed, true);
  assert.ok(turns > 5, `${turns} turns`);
  const stop = new AbortController();
  const stopped = scorer.warmUp({ signal: stop.signal });
  stop.abort();
  assert.equal(await stopped, false);
  assert.deepEqual(scorer.memory(), memory);  // it read in an instance of its own
  assertSameLists(cold, await scorer.scoreFile(readFileSync(file), { asOf: AS_OF }));
});

test('chunk size does not change anything', async () => {
  const file = path.join(root, 'tests/fixtures/tricky_leads.csv');
  const whole = await scorer.scoreFile(readFileSync(file), { asOf: AS_OF });
  assertSameLists(whole, await apiScore(file, { chunkBytes: 1 }));
});

test('with readSource the list keeps no copy of the file and reads rows from it', async () => {
  const file = path.join(root, 'samples/b2b-leads.csv');
  const fd = openSync(file, 'r');
  let reads = 0;
  const readSource = (offset, length) => {
    ++reads;
    const bytes = new Uint8Array(length);
    return readSync(fd, bytes, 0, length, offset) === length ? bytes : null;
  };
  const located = await apiScore(file, { readSource });
  const kept = await apiScore(file);
  try {
    const size = readFileSync(file).length;
    assert.ok(kept.memory().listBytes >= located.memory().listBytes + size, 'the list without readSource keeps the text');
    const query = { sort: 'score', descending: true, limit: 50 };
    assert.deepEqual(located.query(query), kept.query(query));
    assert.deepEqual(located.explain(7), kept.explain(7));
    assert.ok(bytesOf(located.exportCsv()).equals(bytesOf(kept.exportCsv())));
    assert.ok(reads > 0);
  } finally {
    located.close();
    kept.close();
    closeSync(fd);
  }
  // A source that cannot be read any more is an io.error, not a crash.
  const broken = await apiScore(file, { readSource: () => null });
  try {
    assert.throws(() => broken.explain(0), (e) => e instanceof api.LeadScorerError && e.code === 'io.error');
  } finally {
    broken.close();
  }
});

test('an export says how far it is, and with onPart hands each piece over as it is written', async () => {
  const bytes = bytesOf(scorer.sampleCsv({ rows: 60000, seed: 11, asOf: AS_OF }));
  const readSource = (offset, length) => bytes.subarray(offset, offset + length);
  const list = await scorer.scoreFile(new Blob([bytes]), { asOf: AS_OF, readSource });
  try {
    const rows = list.summary().rows;
    const csv = bytesOf(list.exportCsv());
    // Rows written so far, of all the leads.
    const progress = [];
    assert.ok(bytesOf(list.exportCsv({ onProgress: (p) => progress.push(p) })).equals(csv));
    assert.equal(progress.length, Math.floor(rows / 16384));
    assert.ok(progress.every(({ rows: written, of }, i) => of === rows && written <= of && (i === 0 || written > progress[i - 1].rows)));
    // Each piece in its own buffer, none kept.
    const streamed = [];
    assert.equal(list.exportCsv({ onPart: (part) => streamed.push(part) }), undefined);
    assert.ok(streamed.length > 20, `${streamed.length} pieces`);
    assert.equal(new Set(streamed.map((part) => part.buffer)).size, streamed.length, 'pieces share a buffer');
    assert.ok(bytesOf(streamed).equals(csv));
  } finally {
    list.close();
  }
});

test('a large list exported in parts at once (exportCsvInParts) is the list exported alone, whatever the parts do', async () => {
  // 51 MB: three parts of at least 16 MiB each.
  const bytes = bytesOf(scorer.sampleCsv({ rows: 172000, seed: 12, asOf: AS_OF }));
  const blob = new Blob([bytes]);
  const readSource = (offset, length) => bytes.subarray(offset, offset + length);
  const list = await scorer.scoreFile(blob, { asOf: AS_OF, readSource });
  const helper = await api.createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
  const requests = [];
  const writePart = async (request, how) => {
    const parts = [];
    await helper.exportPart(blob, request, { ...how, onPart: (part) => parts.push(part) });
    return parts;
  };
  const exportPart = (request, how) => {
    requests.push(request);
    return writePart(request, how);
  };
  const inParts = async (exporter, options = {}) => {
    requests.length = 0;
    const written = [];
    const progress = [];
    await list.exportCsvInParts({ ...options, parallel: { parts: 3, exportPart: exporter }, onPart: (part) => written.push(part), onProgress: (p) => progress.push(p) });
    return { csv: bytesOf(written.flat()), written, progress };
  };
  try {
    const cases = {  // name: how many parts came from elsewhere
      'parts written elsewhere': [exportPart, 2],
      'a part that fails is written by the list': [(request, how) => (requests.push(request) === 1 ? Promise.reject(new Error('helper crashed')) : writePart(request, how)), 1],
      'a helper that cannot start': [(request) => { requests.push(request); throw new Error('no workers here'); }, 0],
    };
    for (const options of [{}, { neutralizeFormulas: true, byteOrderMark: true }]) {
      const alone = bytesOf(list.exportCsv(options));
      for (const [name, [exporter, elsewhere]] of Object.entries(cases)) {
        const { csv, written, progress } = await inParts(exporter, options);
        assert.equal(requests.length, 2, `${name}: two parts were asked for`);
        assert.equal(written.filter(Array.isArray).length, elsewhere, name);
        assert.ok(csv.equals(alone), `${name} ${JSON.stringify(options)}: the export differs`);
        assert.deepEqual(progress.at(-1), { rows: 172000, of: 172000 }, name);
        assert.ok(progress.every(({ rows, of }) => rows <= of), name);
      }
    }
    // The model and mapping the list scores with now go with each part.
    const model = scorer.defaultModel();
    model.segments.hot = 50;
    list.rescore(model);
    list.remap({ lead_source: 'Lifecycle Stage' });
    const now = bytesOf(list.exportCsv());
    const { csv } = await inParts(exportPart);
    assert.ok(csv.equals(now), 're-scored and re-mapped: the export differs');
    assert.equal(JSON.parse(requests[0].plan.model).segments.hot, 50);
    assert.ok(requests.every((r) => r.plan.parts[r.part].start > 0 && r.plan.parts[r.part].end <= bytes.length));
  } finally {
    list.close();
  }
  // Too small to be worth parts, or its text kept (no file to read again): written here only.
  for (const [source, options] of [[new Blob([bytes.subarray(0, 1 << 20)]), { readSource }], [bytes, {}]]) {
    const small = await scorer.scoreFile(source, { asOf: AS_OF, ...options });
    const written = [];
    await small.exportCsvInParts({ parallel: { parts: 4, exportPart: () => assert.fail('no parts') }, onPart: (part) => written.push(part) });
    assert.ok(bytesOf(written).equals(bytesOf(small.exportCsv())));
    small.close();
  }
});

test('while a file is read, its list pages the leads scored so far', async () => {
  const file = path.join(root, 'samples/b2b-leads.csv');
  let list = null;
  const seen = [];
  const finished = await scorer.scoreFile(createReadStream(file, { highWaterMark: 16384 }), {
    asOf: AS_OF,
    chunkBytes: 16384,
    onStart: (started) => { list = started; },
    onProgress: ({ rows }) => {
      const page = list.query({ sort: 'score', descending: true, limit: 3 });
      seen.push([rows, page.matches, page.rows[0]?.score]);
    },
  });
  try {
    assert.equal(finished, list);
    const during = seen.filter(([rows]) => rows > 0 && rows < 500);
    assert.ok(during.length >= 2, `pages while reading: ${JSON.stringify(seen)}`);
    for (const [rows, matches] of during) assert.equal(matches, rows - 1);
    assert.equal(list.query({ limit: 1 }).matches, 500);
  } finally {
    finished.close();
  }
});

test('summary, pages, filters, search and explanations', async () => {
  const list = await apiScore(path.join(root, 'samples/b2b-leads.csv'));
  try {
    const summary = list.summary();
    assert.equal(summary.rows, 500);
    const { cold, warm, hot } = summary.temperatures;
    assert.equal(cold.count + warm.count + hot.count, 500);
    assert.equal(summary.mapping.fields.employees, 'Number of Employees');
    assert.equal(summary.file.delimiter, ',');

    const top = list.query({ sort: 'score', descending: true, limit: 5 });
    assert.equal(top.matches, 500);
    assert.equal(top.rows.length, 5);
    for (let i = 1; i < top.rows.length; i++) assert.ok(top.rows[i - 1].score >= top.rows[i].score);
    assert.equal(top.rows[0].cells.length, 26);

    const hotOnly = list.query({ temperatures: ['hot'], limit: 1000 });
    assert.equal(hotOnly.matches, hot.count);
    assert.ok(hotOnly.rows.every((r) => r.temperature === 'hot'));

    const found = list.query({ search: 'northwind', limit: 1000 });
    assert.ok(found.matches > 0 && found.rows.every((r) => r.cells.join(' ').toLowerCase().includes('northwind')));

    const explanation = list.explain(top.rows[0].row);
    assert.equal(explanation.score, top.rows[0].score);
    assert.ok(explanation.hits.length > 0);
    assert.ok(explanation.next_action.length > 0);
    assert.equal(explanation.cells['Record ID'], top.rows[0].cells[0]);
  } finally {
    list.close();
  }
});

test('re-scoring with a changed model and correcting the mapping', async () => {
  const list = await apiScore(path.join(root, 'samples/b2b-leads.csv'));
  try {
    const before = list.summary().temperatures;
    const model = scorer.defaultModel();
    model.segments.hot = 85;
    const { changed, summary } = list.rescore(model);
    assert.ok(changed > 0);
    assert.ok(summary.temperatures.hot.count < before.hot.count);
    assert.equal(list.rescore(model).changed, 0);

    const remapped = list.remap({ job_title: '' });
    assert.ok(remapped.changed > 0);
    assert.ok(remapped.summary.model.absent_fields.includes('job_title'));
    assert.throws(() => list.remap({ job_title: 'Nope' }), { name: 'LeadScorerError', code: 'usage.invalid_argument' });
  } finally {
    list.close();
  }
});

test('one lead from a form', () => {
  const hot = scorer.scoreLead(
    { job_title: 'VP of Sales', employees: '1,001-5,000', demo_requested: 'yes', last_activity_date: '2026-11-18', sessions: 9 },
    { asOf: AS_OF },
  );
  assert.equal(hot.temperature, 'hot');
  assert.match(hot.next_action, /within 24 h/);
  const student = scorer.scoreLead({ 'Job Title': 'Student' }, { asOf: AS_OF });
  assert.equal(student.disqualified.rule, 'student');
});

test('errors arrive as LeadScorerError with code, line and JSON path', async () => {
  const bad = '{"leadscore_model": 1, "fit": {"rules": [{"id": "x", "field": "employees", "at_least": "50", "points": 1}]}, "engagement": {"rules": []}}';
  assert.throws(() => scorer.openList({ model: bad }), (e) => {
    assert.ok(e instanceof api.LeadScorerError);
    assert.equal(e.code, 'model.type_mismatch');
    assert.equal(e.jsonPath, '/fit/rules/0/at_least');
    return true;
  });
  assert.throws(() => scorer.openList({ model: '{"leadscore_model": 1,\n "fit": }' }), { code: 'model.invalid_json', line: 2 });
  assert.equal(scorer.checkModel({ leadscore_model: 1 }).length, 2);

  await assert.rejects(scorer.scoreFile(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31])), { code: 'csv.not_text' });
  await assert.rejects(scorer.scoreFile(new Uint8Array(0)), { code: 'csv.empty' });
  await assert.rejects(scorer.scoreFile('a,b\n1,2\n', { asOf: 'soon' }), { code: 'usage.invalid_argument' });

  const list = await scorer.scoreFile('Email,Title\nann@acme.com,VP\n', { asOf: AS_OF });
  assert.throws(() => list.query({ sort: 'colour' }), { code: 'usage.invalid_argument' });
  assert.throws(() => list.explain(7), { code: 'usage.invalid_argument' });
  list.close();
  assert.throws(() => list.summary(), { code: 'usage.invalid_argument' });

  // An open list pages the rows scored so far (none yet); searching waits for the end.
  const open = scorer.openList();
  assert.deepEqual(open.query(), { matches: 0, rows: [] });
  assert.throws(() => open.query({ search: 'acme' }), { code: 'usage.invalid_argument' });
  assert.throws(() => open.explain(0), { code: 'usage.invalid_argument' });
  open.close();
});

test('a cancelled read stops with code "aborted"', async () => {
  const controller = new AbortController();
  const text = 'Email,Title\n' + 'ann@acme.com,VP\n'.repeat(20000);
  await assert.rejects(
    scorer.scoreFile(text, { chunkBytes: 1024, onProgress: ({ rows }) => rows > 100 && controller.abort(), signal: controller.signal }),
    { code: 'aborted' },
  );
});

test('no wasm heap growth over 1,000 lists', async () => {
  const text = readFileSync(path.join(root, 'tests/fixtures/tricky_leads.csv'));
  const once = async () => {
    const list = await scorer.scoreFile(text, { asOf: AS_OF, chunkBytes: 64 });
    list.query({ sort: 'score', descending: true });
    list.explain(0);
    list.exportCsv();
    list.rescore(null);
    list.close();
    scorer.scoreLead({ job_title: 'CEO' });
  };
  for (let i = 0; i < 50; i++) await once();
  const before = scorer.heapInUse();
  for (let i = 0; i < 1000; i++) await once();
  const after = scorer.heapInUse();
  assert.ok(after - before < 16 * 1024, `heap in use grew by ${after - before} bytes`);
});

/** A list whose outcome follows its Plan and Visits (seeded), with Tags copying the outcome. */
function outcomeList(rows = 800) {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['Email,Plan,Visits,Tags,Converted'];
  for (let i = 0; i < rows; ++i) {
    const plan = ['Pro', 'Basic', 'Free'][Math.floor(next() * 3)];
    const visits = Math.floor(next() * 30);
    const won = next() < 0.1 + 0.5 * (plan === 'Pro') + 0.01 * visits;
    lines.push(`u${i}@x.com,${plan},${visits},${won ? 'Won' : 'Lost'},${won ? 1 : 0}`);
  }
  return `${lines.join('\n')}\n`;
}

test('learnModel learns a valid points model like the CLI, and backtest reports on it', async (t) => {
  const csv = outcomeList();
  const steps = [];
  const { model, report } = await scorer.learnModel(csv, { asOf: AS_OF, onProgress: (p) => steps.push(p) });
  assert.deepEqual(steps.map((p) => p.step), [1, 2, 3, 4, 5, 6], 'a step per fold, then the final fit');
  assert.ok(steps.every((p) => p.steps === 6));
  assert.equal(report.rows, 800);
  assert.deepEqual(report.leakage, [{ header: 'Tags', kept: false }]);
  assert.ok(report.cv.auc > 0.7 && report.cv.auc_points > 0.7, JSON.stringify(report.cv));
  assert.deepEqual(scorer.checkModel(model), []);
  // Scored like any model, and back-tested on the list it came from.
  const back = await scorer.backtest(new Blob([csv]), { model, asOf: AS_OF });
  assert.deepEqual(back.outcome, { column: 'Converted', kind: 'flag' });
  assert.equal(back.report.leads, 800);
  assert.ok(back.report.auc > 0.7);
  await assert.rejects(scorer.learnModel('Email\na@x.com\n'), (e) => e.code === 'usage.invalid_argument');
  if (!existsSync(cli)) {
    t.diagnostic(`skipped the comparison with the CLI: it is not built at ${cli}`);
    return;
  }
  // The CLI learns the same model from the same list and seed.
  const file = path.join(root, 'build/node-work/outcomes.csv');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, csv);
  const run = spawnSync(cli, ['train', file, '--as-of', AS_OF, '-q']);
  assert.equal(run.status, 0, run.stderr.toString());
  assert.deepEqual(JSON.parse(run.stdout.toString()), model);
  const cliBack = spawnSync(cli, ['backtest', file, '--as-of', AS_OF, '--json']);
  assert.deepEqual(JSON.parse(cliBack.stdout.toString()).report, (await scorer.backtest(csv, { asOf: AS_OF })).report);
  // Two models side by side: the same comparison as the CLI's --compare.
  const modelFile = path.join(root, 'build/node-work/learned.json');
  writeFileSync(modelFile, JSON.stringify(model));
  const cliCompare = JSON.parse(spawnSync(cli, ['backtest', file, '--as-of', AS_OF, '--compare', modelFile, '--json']).stdout.toString());
  const compared = await scorer.backtest(csv, { asOf: AS_OF, compare: model });
  assert.ok(compared.compare.changes.changed > 0);
  assert.deepEqual(compared.compare.changes, cliCompare.compare.changes);
  assert.deepEqual(compared.compare.report, cliCompare.compare.report);
});

test('modelDbt writes the CLI\'s dbt project, and the page\'s zip of it reads back', async () => {
  const { zipTexts } = await import(path.join(root, 'web/zip.mjs'));
  const file = path.join(root, 'tests/fixtures/tricky_leads.csv');
  const mapping = JSON.parse(spawnSync(cli, ['columns', file, '--json']).stdout.toString());
  const work = path.join(root, 'build/node-work/dbt');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const mappingFile = path.join(work, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(mapping));
  const files = scorer.modelDbt(undefined, { dialect: 'trino', table: 'crm.leads', keys: ['Email'], columns: mapping, asOf: AS_OF });
  const run = spawnSync(cli, ['dbt', '--dialect', 'trino', '--table', 'crm.leads', '--columns', mappingFile, '--key', 'Email',
    '--as-of', AS_OF, '-o', path.join(work, 'cli')], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(files.map((f) => f.path).sort(),
    ['README.md', 'dbt_project.yml', 'models/lead_scores.sql', 'models/schema.yml', 'models/sources.yml']);
  for (const f of files) assert.equal(f.text, readFileSync(path.join(work, 'cli', f.path), 'utf8'), f.path);
  // The zip, with a name and a text beyond ASCII: Python's zipfile checks every CRC and gives the
  // names, dates and texts back.
  const zipped = [...files, { path: 'models/é.sql', text: 'SELECT \'Ü\'' }];
  const zipFile = path.join(work, 'project.zip');
  writeFileSync(zipFile, zipTexts(zipped, new Date(2026, 11, 6, 10, 30, 0)));
  const read = spawnSync('python3', ['-c', `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "files": [{"path": i.filename, "text": z.read(i).decode(), "date": list(i.date_time)} for i in z.infolist()]}))`,
  zipFile], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(read.status, 0, read.stderr);
  const unzipped = JSON.parse(read.stdout);
  assert.equal(unzipped.bad, null);
  assert.deepEqual(unzipped.files.map(({ path: p, text }) => ({ path: p, text })), zipped);
  for (const f of unzipped.files) assert.deepEqual(f.date, [2026, 12, 6, 10, 30, 0]);
  assert.throws(() => scorer.modelDbt(undefined, { dialect: 'oracle', keys: ['id'] }), (e) => e.code === 'usage.invalid_argument');
});

test('modelSql writes the CLI\'s SQL, and its errors come back as values', () => {
  const file = path.join(root, 'tests/fixtures/tricky_leads.csv');
  const mapping = JSON.parse(spawnSync(cli, ['columns', file, '--json']).stdout.toString());
  mkdirSync(path.join(root, 'build/node-work'), { recursive: true });
  const mappingFile = path.join(root, 'build/node-work/sql-mapping.json');
  writeFileSync(mappingFile, JSON.stringify(mapping));
  for (const dialect of ['postgres', 'duckdb', 'sqlite', 'bigquery', 'snowflake', 'spark', 'trino']) {
    const sql = scorer.modelSql(undefined, { dialect, table: 'crm.leads', keys: ['Email'], columns: mapping, asOf: AS_OF });
    const run = spawnSync(cli, ['sql', '--dialect', dialect, '--table', 'crm.leads', '--columns', mappingFile, '--key', 'Email',
      '--as-of', AS_OF], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(sql, run.stdout, `${dialect}: the API and the CLI write the same SQL`);
  }
  assert.throws(() => scorer.modelSql(undefined, { dialect: 'oracle', keys: ['id'] }),
    (e) => e.code === 'usage.invalid_argument' && /oracle/.test(e.message));
  assert.throws(() => scorer.modelSql(undefined, { dialect: 'sqlite' }), (e) => e.code === 'usage.invalid_argument' && /identify a lead/.test(e.message));
  assert.throws(() => scorer.modelSql(undefined, { keys: ['i\u0000d'] }), (e) => e.code === 'sql.unsupported');
});
