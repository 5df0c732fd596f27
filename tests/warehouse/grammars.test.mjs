// `leadscore sql` text for the engines not run here, parsed by grammars built from those engines:
// BigQuery and Snowflake by node-sql-parser, Spark SQL and Trino by dt-sql-parser (ANTLR grammars
// drawn from Spark's and Trino's own). SQLite, DuckDB and PostgreSQL text is run instead
// (warehouse.test.mjs). Each model: the built-in one with every field mapped (a few columns typed),
// and the test models that use every kind of rule, decay and segmentation.
// LEADSCORE_CLI: the native CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register('./resolve-hook.mjs', import.meta.url);
const { SparkSQL, TrinoSQL } = await import('dt-sql-parser');
const { default: nodeSqlParser } = await import('node-sql-parser');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
const AS_OF = '2026-11-20';

const MODELS = [
  ['the built-in model', ['--types', path.join(here, 'typed_columns.json')]],
  ['the kitchen-sink model', ['--model', path.join(here, 'kitchen_sink_model.json')]],
  ['the matrix model', ['--model', path.join(here, 'matrix_model.json')]],
];

/** Each grammar's problems with `sql`, as readable lines (none when it parses). */
const nsp = new nodeSqlParser.Parser();
const byNodeSqlParser = (database) => (sql) => {
  try {
    nsp.astify(sql, { database });
    return [];
  } catch (e) {
    return [String(e.message).slice(0, 300)];
  }
};
const byDtSqlParser = (Grammar) => {
  const parser = new Grammar();
  return (sql) => parser.validate(sql).map((e) => `line ${e.startLine}:${e.startColumn}: ${e.message}`);
};
const GRAMMARS = [
  ['bigquery', 'node-sql-parser BigQuery', byNodeSqlParser('BigQuery'), MODELS],
  ['snowflake', 'node-sql-parser Snowflake', byNodeSqlParser('Snowflake'), MODELS],
  // The ANTLR grammars take seconds a query: the two models that hold every construct.
  ['spark', 'dt-sql-parser SparkSQL', byDtSqlParser(SparkSQL), MODELS.slice(0, 2)],
  ['trino', 'dt-sql-parser TrinoSQL', byDtSqlParser(TrinoSQL), MODELS.slice(0, 2)],
];

function sql(dialect, modelArgs) {
  const r = spawnSync(cli, ['sql', '--dialect', dialect, '--key', 'Lead ID', '--table', 'crm.leads', '--as-of', AS_OF,
    ...modelArgs], { maxBuffer: 1 << 30, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

for (const [dialect, grammar, problems, models] of GRAMMARS) {
  test(`${dialect}: ${grammar} parses the SQL`, () => {
    // The grammar is no pass-through: it finds a parenthesis that never closes.
    assert.notDeepEqual(problems('SELECT (1 + 2 AS x FROM t'), []);
    for (const [name, modelArgs] of models) assert.deepEqual(problems(sql(dialect, modelArgs)), [], `${name}: ${grammar}`);
  });
}
