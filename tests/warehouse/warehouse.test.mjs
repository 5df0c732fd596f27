// `leadscore sql` on real engines: every list is loaded into SQLite, DuckDB and PostgreSQL as text
// columns, the generated SELECT runs there, and every row's score, fit, engagement, temperature and
// reasons must equal what the core gives for the same list (`leadscore score`). So must the model
// of the project `leadscore dbt` writes, rendered as dbt renders it, which must pass its own tests.
// LEADSCORE_CLI: the native CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseCsv } from '../hostile/cases.mjs';
import { openDuckdb, openPostgres, openSqlite } from './engines.mjs';
import { differentialList } from './cells.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
const shared = path.resolve(root, '../shared/data');
const work = path.join(root, 'build/warehouse-work');
const AS_OF = '2026-11-20';
const kitchenSink = path.join(here, 'kitchen_sink_model.json');

function leadscore(args) {
  const r = spawnSync(cli, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  assert.equal(r.status, 0, `leadscore ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A list as the core reads it: the table to load, the column mapping, and each row's expected result. */
function scoredList(file, model) {
  const modelArgs = model ? ['--model', model] : [];
  const mapping = JSON.parse(leadscore(['columns', file, '--json', ...modelArgs]));
  const columns = mapping.columns.map((c) => c.header);
  const [header, ...rows] = parseCsv(leadscore(['score', file, '--as-of', AS_OF, '-q', ...modelArgs]));
  const width = header.length - 6;  // the scored CSV appends six lead_ columns to the list's own
  assert.equal(width, columns.length, `${file}: the scored CSV has the list's columns`);
  return {
    mapping,
    table: { name: 'leads', columns, rows: rows.map((r) => r.slice(0, width)) },
    expected: rows.map((r) => r.slice(width, width + 5)),
  };
}

function sqlFor(dialect, list, model) {
  mkdirSync(work, { recursive: true });
  const mappingFile = path.join(work, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(list.mapping));
  return leadscore(['sql', '--dialect', dialect, '--columns', mappingFile, '--key', 'ls_row', '--as-of', AS_OF,
    ...(model ? ['--model', model] : [])]);
}

/** The rows whose results differ, as readable lines (empty when all agree). */
function differences(list, got) {
  const out = [];
  assert.equal(got.length, list.expected.length, 'one result row per lead');
  for (const row of got) {
    const i = Number(row.ls_row) - 1;
    const [score, fit, engagement, temperature, reasons] = list.expected[i];
    const same = Number(row.lead_score) === Number(score) && Number(row.lead_fit) === Number(fit) &&
      Number(row.lead_engagement) === Number(engagement) && row.lead_temperature === temperature &&
      (row.lead_reasons ?? '') === reasons;
    if (!same && out.length < 5) {
      out.push(`row ${i + 1}: ${JSON.stringify(list.table.rows[i])}\n  sql:  ${[row.lead_score, row.lead_fit,
        row.lead_engagement, row.lead_temperature, row.lead_reasons].join(' | ')}\n  core: ${list.expected[i].join(' | ')}`);
    }
  }
  return out;
}

// The lists: the project's fixtures and sample, the hostile corpus's readable lists, a generated
// sample, a list of tricky cells for every reading, and the real lists when ../shared is there.
function cases() {
  mkdirSync(work, { recursive: true });
  const sample = path.join(work, 'sample.csv');
  if (!existsSync(sample)) leadscore(['sample', '--rows', '3000', '--seed', '11', '--as-of', AS_OF, '-o', sample]);
  const cells = path.join(work, 'cells.csv');
  writeFileSync(cells, differentialList(4000, 5));
  const out = [
    { name: 'fixture tricky_leads', file: path.join(root, 'tests/fixtures/tricky_leads.csv') },
    { name: 'samples/b2b-leads', file: path.join(root, 'samples/b2b-leads.csv') },
    { name: 'generated sample', file: sample },
    { name: 'tricky cells, default model', file: cells },
    { name: 'tricky cells, every kind of rule', file: cells, model: kitchenSink },
    { name: 'tricky cells, matrix segments', file: cells, model: path.join(here, 'matrix_model.json') },
  ];
  const { cases: hostile } = JSON.parse(readFileSync(path.join(root, 'tests/hostile/cases.json'), 'utf8'));
  for (const c of hostile) {
    if (!c.input || c.expect?.error) continue;
    out.push({ name: `hostile ${c.input}`, file: path.join(root, 'tests/hostile', c.input) });
  }
  const real = [['xeducation/Leads.csv'], ['bank-marketing/bank-additional.csv'],
    ['olist-marketing-funnel/olist_marketing_qualified_leads_dataset.csv']];
  for (const [file] of real) out.push({ name: `real ${file}`, file: path.join(shared, 'real', file), real: true });
  return out;
}

const engines = [['sqlite', openSqlite], ['duckdb', openDuckdb], ['postgres', openPostgres]];
const open = {};
before(async () => {
  for (const [name, opener] of engines) open[name] = await opener();
});
after(async () => {
  for (const engine of Object.values(open)) await engine.close();
});

for (const c of cases()) {
  for (const [name] of engines) {
    test(`${name}: ${c.name}`, async (t) => {
      if (c.real && !existsSync(c.file)) {
        t.skip(`${c.file} is absent (../shared/data is not beside this checkout)`);
        return;
      }
      const list = scoredList(c.file, c.model);
      const engine = open[name];
      await engine.load(list.table);
      const got = await engine.query(sqlFor(name, list, c.model));
      const bad = differences(list, got);
      assert.deepEqual(bad, [], `${c.name} on ${name}: ${bad.length} rows differ\n${bad.join('\n')}`);
    });
  }
}

/**
 * The dbt project's model as dbt renders it for a source in the target schema: its config call
 * dropped (and its pre_hook returned), the raw block's markers taken out, the source call replaced
 * by the table. Nothing else of Jinja may be left.
 */
function renderedDbtModel(dir, table) {
  const text = readFileSync(path.join(dir, 'models/lead_scores.sql'), 'utf8');
  const config = text.match(/^\{\{ config\((.*)\) \}\}\n/);
  assert.ok(config, 'the model opens with its config');
  const sql = text.slice(config[0].length).replaceAll('{% raw %}', '').replaceAll('{% endraw %}', '')
    .replace('{{ source("crm", "leads") }}', `"${table}"`);
  assert.doesNotMatch(sql, /\{\{|\{%/, 'only the source call and the raw block are Jinja');
  return { sql, preHook: config[1].match(/pre_hook="([^"]*)"/)?.[1] };
}

for (const name of ['duckdb', 'postgres']) {
  test(`${name}: the dbt project's model gives the core's rows and passes its schema tests`, async () => {
    const list = scoredList(path.join(root, 'samples/b2b-leads.csv'));
    const dir = path.join(work, `dbt-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const mappingFile = path.join(work, 'dbt-mapping.json');
    writeFileSync(mappingFile, JSON.stringify(list.mapping));
    leadscore(['dbt', '--dialect', name, '--columns', mappingFile, '--key', 'ls_row', '--as-of', AS_OF, '-o', dir]);
    const schema = readFileSync(path.join(dir, 'models/schema.yml'), 'utf8');
    assert.match(schema, /- name: "ls_row"\n {8}quote: true\n {8}tests:\n {10}- not_null\n/);
    assert.match(schema, /- name: lead_temperature\n {8}tests:\n {10}- not_null\n {10}- accepted_values:\n {14}values: \["cold", "warm", "hot"\]\n/);
    assert.match(readFileSync(path.join(dir, 'models/sources.yml'), 'utf8'), /- name: "crm"\n {4}schema: "\{\{ target.schema \}\}"\n {4}tables:\n {6}- name: "leads"/);
    assert.match(readFileSync(path.join(dir, 'dbt_project.yml'), 'utf8'), /^config-version: 2$/m);
    const { sql, preHook } = renderedDbtModel(dir, 'leads');
    assert.equal(preHook, name === 'postgres' ? 'SET jit = off' : undefined);
    const engine = open[name];
    await engine.load(list.table);
    // As dbt builds a table model, then as its tests ask: no row may fail them.
    await engine.run(`${preHook ? `${preHook};\n` : ''}DROP TABLE IF EXISTS lead_scores;\nCREATE TABLE lead_scores AS (${sql});\n`);
    const bad = differences(list, await engine.query('SELECT * FROM lead_scores;'));
    assert.deepEqual(bad, [], `${bad.length} rows differ\n${bad.join('\n')}`);
    const [failing] = await engine.query(`SELECT count(*) AS n FROM lead_scores WHERE "ls_row" IS NULL OR lead_score IS NULL
      OR lead_temperature IS NULL OR lead_temperature NOT IN ('cold', 'warm', 'hot');`);
    assert.equal(failing.n, '0');
  });
}

/**
 * A list whose cells are canonical texts (digits, ISO dates and timestamps, true/false or empty),
 * and the casts that make each column typed in `engine`: what a warehouse table with typed columns
 * holds, and what the core reads from its export.
 */
function typedCase(engine, dateType) {
  const header = ['Email', 'Number of Employees', 'Annual Revenue', 'Number of Sessions', 'Demo Requested',
    'Last Activity Date'];
  let seed = 7;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pad = (n) => String(n).padStart(2, '0');
  const rows = [];
  for (let i = 0; i < 400; i++) {
    const day = new Date(Date.UTC(2026, 10, 20) - next(400) * 86400000);
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    rows.push([`lead${i}@${['acme.com', 'gmail.com', 'example.org'][next(3)]}`,
      next(5) === 0 ? '' : String(next(20000)),
      next(5) === 0 ? '' : `${next(500000000)}.${next(10)}`,
      next(5) === 0 ? '' : String(next(40)),
      ['true', 'false', ''][next(3)],
      next(6) === 0 ? '' : dateType === 'timestamp' ? `${date} ${pad(next(24))}:${pad(next(60))}:00` : date]);
  }
  const q = (c) => `"${c}"`;
  const sqlTypes = {
    sqlite: { number: 'INTEGER', double: 'REAL', date: null, timestamp: null },
    duckdb: { number: 'BIGINT', double: 'DOUBLE', date: 'DATE', timestamp: 'TIMESTAMP' },
    postgres: { number: 'BIGINT', double: 'DOUBLE PRECISION', date: 'DATE', timestamp: 'TIMESTAMP' },
  }[engine];
  const cast = (c, type) => (type ? `CAST(NULLIF(${q(c)}, '') AS ${type})` : `NULLIF(${q(c)}, '')`);
  const boolean = engine === 'sqlite' ? `CASE "Demo Requested" WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`
    : cast('Demo Requested', 'BOOLEAN');
  const select = `SELECT ls_row, "Email", ${cast('Number of Employees', sqlTypes.number)} AS "Number of Employees", ` +
    `${cast('Annual Revenue', sqlTypes.double)} AS "Annual Revenue", ${cast('Number of Sessions', sqlTypes.number)} AS "Number of Sessions", ` +
    `${boolean} AS "Demo Requested", ${cast('Last Activity Date', sqlTypes[dateType])} AS "Last Activity Date" FROM leads`;
  return {
    csv: [header, ...rows].map((r) => r.join(',')).join('\n') + '\n',
    typedTable: `DROP TABLE IF EXISTS typed_leads;\nCREATE TABLE typed_leads AS ${select};\n`,
    types: { 'Number of Employees': 'number', 'Annual Revenue': 'number', 'Number of Sessions': 'number',
      'Demo Requested': 'boolean', 'Last Activity Date': dateType },
  };
}

for (const [name] of engines) {
  for (const dateType of ['date', 'timestamp']) {
    test(`${name}: typed columns (numbers, yes/no, ${dateType}s) read as the core reads their texts`, async () => {
      const c = typedCase(name, dateType);
      mkdirSync(work, { recursive: true });
      const file = path.join(work, `typed-${name}-${dateType}.csv`);
      writeFileSync(file, c.csv);
      const list = scoredList(file);
      const engine = open[name];
      await engine.load(list.table);
      await engine.run(c.typedTable);
      const mappingFile = path.join(work, 'typed-mapping.json');
      writeFileSync(mappingFile, JSON.stringify(list.mapping));
      const typesFile = path.join(work, 'typed-types.json');
      writeFileSync(typesFile, JSON.stringify(c.types));
      const sql = leadscore(['sql', '--dialect', name, '--table', 'typed_leads', '--columns', mappingFile, '--types', typesFile,
        '--key', 'ls_row', '--as-of', AS_OF]);
      // Read from the values: no number or date reading of those columns' texts.
      assert.doesNotMatch(sql, /lr_quantity_0|lr_date_0|lr_boolean_0/);
      assert.equal(sql.match(/ AS ls_tv_\d+/g)?.length, 5);
      const bad = differences(list, await engine.query(sql));
      assert.deepEqual(bad, [], `${bad.length} rows differ\n${bad.join('\n')}`);
    });
  }
}
