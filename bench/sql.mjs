// The warehouse query's size and speed: `leadscore sql` for every dialect, then the query run in
// DuckDB, PostgreSQL and SQLite on generated lists already loaded as tables of text, against
// `leadscore score` on the same list.
//   node bench/sql.mjs [--rows N] [--postgres-rows N] [--sqlite-rows N] [--only duckdb,postgres,sqlite,sizes]
// LEADSCORE_CLI: another build's CLI (default build/native's). Needs build/native (scripts/run.sh or scripts/test.sh) and the root's `npm ci` (DuckDB); PostgreSQL
// from Debian's packages (scripts/setup.sh installs it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { openDuckdb, openPostgres, openSqlite } from '../tests/warehouse/engines.mjs';
import { AS_OF, generatedList } from './lead-list.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build', 'native', 'cli', 'leadscore');
const work = path.join(root, 'build', 'bench', 'sql');
const DIALECTS = ['postgres', 'duckdb', 'sqlite', 'bigquery', 'snowflake', 'spark', 'trino'];

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const duckdbRows = Number(option('--rows', 200000));
const postgresRows = Number(option('--postgres-rows', 50000));
const sqliteRows = Number(option('--sqlite-rows', 50000));
const only = option('--only', 'sizes,duckdb,postgres,sqlite').split(',');

if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (scripts/run.sh)`);
mkdirSync(work, { recursive: true });
const leadscore = (args) => execFileSync(cli, args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const kb = (text) => `${(Buffer.byteLength(text) / 1000).toFixed(0)} KB`;
const seconds = (start) => (performance.now() - start) / 1000;

/** The SQL for `model` (a file, or the built-in one) in each dialect, with `args` (--columns, --key...). */
function sqlSizes(label, args) {
  const sizes = DIALECTS.map((dialect) => kb(leadscore(['sql', '--dialect', dialect, '--as-of', AS_OF, ...args])));
  console.log(`| ${label} | ${sizes.join(' | ')} |`);
}

/** A model of about 200 rules learned from the real X Education list with its after-contact columns kept, or null. */
function learnedModel() {
  const list = path.resolve(root, '..', 'shared', 'data', 'real', 'xeducation', 'Leads.csv');
  if (!existsSync(list)) return null;
  const model = path.join(work, 'xeducation-model.json');
  if (!existsSync(model)) {
    const keep = ['Tags', 'Lead Quality', 'Lead Profile', 'Asymmetrique Activity Index', 'Asymmetrique Profile Index',
      'Asymmetrique Activity Score', 'Asymmetrique Profile Score', 'Last Notable Activity'];
    leadscore(['train', list, '-o', model, ...keep.flatMap((k) => ['--keep', k])]);
  }
  const parsed = JSON.parse(readFileSync(model, 'utf8'));
  const rules = parsed.fit.rules.length + parsed.engagement.rules.length;
  return { model, rules };
}

if (only.includes('sizes')) {
  console.log('Size of the SQL text (lookup tables included, when there are any):');
  console.log(`| model | ${DIALECTS.join(' | ')} |`);
  console.log(`|---|${DIALECTS.map(() => '---:').join('|')}|`);
  sqlSizes('built-in, every field mapped', ['--key', 'id']);
  const sample = generatedList(root, cli, 1000, false);
  const mapping = path.join(work, 'sample-mapping.json');
  writeFileSync(mapping, leadscore(['columns', sample, '--json']));
  sqlSizes('built-in, the sample\'s columns', ['--columns', mapping]);
  const learned = learnedModel();
  if (learned) {
    sqlSizes(`learned on X Education, ${learned.rules} rules`, ['--model', learned.model, '--key', 'Prospect ID']);
  } else {
    console.log('(the learned model needs ../shared/data: skipped)');
  }
  console.log('');
}

/** Loads a generated list of `rows` leads into `engine`, runs the query into a table and checks its counts. */
async function timeEngine(engine, rows) {
  const file = generatedList(root, cli, rows, false);
  const mapping = JSON.parse(leadscore(['columns', file, '--json']));
  const mappingFile = path.join(work, 'mapping.json');
  writeFileSync(mappingFile, JSON.stringify(mapping));
  const columns = mapping.columns.map((c) => c.header);
  const summaryFile = path.join(work, 'summary.json');
  let start = performance.now();
  leadscore(['score', file, '--as-of', AS_OF, '-o', '/dev/null', '-q', '--summary', summaryFile]);
  const cliSeconds = seconds(start);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const expected = ['cold', 'warm', 'hot'].map((t) => summary.temperatures[t].count).join(' / ');

  start = performance.now();
  await engine.loadCsv('leads', columns, file);
  const loadSeconds = seconds(start);
  const sql = leadscore(['sql', '--dialect', engine.name, '--columns', mappingFile, '--as-of', AS_OF]);
  start = performance.now();
  await engine.run(`DROP TABLE IF EXISTS scored;\nCREATE TABLE scored AS\n${sql.trimEnd().replace(/;$/, '')};\n`);
  const querySeconds = seconds(start);
  const counts = await engine.query("SELECT lead_temperature AS t, count(*) AS n FROM scored GROUP BY lead_temperature;");
  const got = ['cold', 'warm', 'hot'].map((t) => counts.find((r) => r.t === t)?.n ?? '0').join(' / ');
  if (got !== expected) throw new Error(`${engine.name} gives ${got} where leadscore score gives ${expected}`);
  console.log(`| ${engine.name} | ${rows.toLocaleString('en')} | ${kb(sql)} | ${querySeconds.toFixed(2)} s | ${Math.round(rows / querySeconds).toLocaleString('en')} | ${(querySeconds / cliSeconds).toFixed(1)}x | ${cliSeconds.toFixed(2)} s | ${loadSeconds.toFixed(1)} s | ${got} |`);
}

const engines = [
  ['duckdb', openDuckdb, duckdbRows],
  ['postgres', openPostgres, postgresRows],
  ['sqlite', openSqlite, sqliteRows],
].filter(([name]) => only.includes(name));
if (engines.length > 0) {
  console.log('The query run into a table (planning included), each engine with its default settings:');
  console.log('| engine | leads | SQL | query | leads/s | vs leadscore score | leadscore score | load | cold / warm / hot |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
}
for (const [, open, rows] of engines) {
  const engine = await open();
  try {
    await timeEngine(engine, rows);
  } finally {
    await engine.close();
  }
}
