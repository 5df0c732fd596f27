// The engines `leadscore sql` is checked on: SQLite (Debian's sqlite3 shell), DuckDB (from npm) and
// PostgreSQL (Debian's server, started here on loopback with a throwaway data directory). Each
// loads a table of text columns (from rows, or from a CSV file with a header line) and runs one
// query, giving rows of strings by column name.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '../hostile/cases.mjs';

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;
const quoteText = (text) => `'${text.replaceAll("'", "''")}'`;

/** CREATE TABLE and INSERTs for `table` ({name, columns, rows}); cells are text, ls_row numbers the rows. */
export function loadStatements({ name, columns, rows }) {
  const out = [`DROP TABLE IF EXISTS ${quoteIdent(name)};`,
    `CREATE TABLE ${quoteIdent(name)} (ls_row BIGINT, ${columns.map((c) => `${quoteIdent(c)} TEXT`).join(', ')});`];
  for (let start = 0; start < rows.length; start += 500) {
    const values = rows.slice(start, start + 500).map((row, i) =>
      `(${start + i + 1}, ${columns.map((_, c) => (row[c] === undefined ? 'NULL' : quoteText(row[c]))).join(', ')})`);
    out.push(`INSERT INTO ${quoteIdent(name)} VALUES ${values.join(', ')};`);
  }
  return out.join('\n') + '\n';
}

/** CREATE TABLE `name` with text columns `columns` (no ls_row), for a CSV file's rows. */
function textTable(name, columns) {
  return `DROP TABLE IF EXISTS ${quoteIdent(name)};\nCREATE TABLE ${quoteIdent(name)} (${columns.map((c) => `${quoteIdent(c)} TEXT`).join(', ')});\n`;
}

/** Rows of a CSV with a header line, as objects. */
function csvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  return rows.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

function run(command, args, input, options = {}) {
  const r = spawnSync(command, args, { input, maxBuffer: 1 << 30, encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${command} failed: ${r.stderr || r.error}`);
  return r.stdout;
}

export function openSqlite() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-sqlite-'));
  const db = path.join(dir, 'leads.db');
  return {
    name: 'sqlite',
    load: async (table) => { run('sqlite3', [db], 'BEGIN;\n' + loadStatements(table) + 'COMMIT;\n'); },
    loadCsv: async (name, columns, file) => {
      run('sqlite3', [db], `${textTable(name, columns)}.import --csv --skip 1 ${quoteText(file)} ${quoteIdent(name)}\n`);
    },
    query: async (sql) => csvObjects(run('sqlite3', ['-csv', '-header', db], sql)),
    run: async (sql) => { run('sqlite3', [db], sql); },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function openDuckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    name: 'duckdb',
    load: async (table) => { await connection.run(loadStatements(table)); },
    loadCsv: async (name, columns, file) => {
      await connection.run(`${textTable(name, columns)}INSERT INTO ${quoteIdent(name)} SELECT * FROM read_csv(${quoteText(file)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"');`);
    },
    run: async (sql) => { await connection.run(sql); },
    query: async (sql) => {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjects().map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)])));
    },
    close: async () => { connection.closeSync?.(); },
  };
}

/** The newest PostgreSQL server binaries of Debian's packages, or null. */
export function postgresBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin/postgres'))).sort((a, b) => b - a);
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function openPostgres() {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL server binaries are missing: scripts/setup.sh installs postgresql');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'leadscore-pg-'));
  chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  // The server refuses to run as root: as root, run it as Debian's postgres user.
  const asServer = (command, args) => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]);
  run(...asServer(path.join(bin, 'initdb'), ['-D', data, '-U', 'leadscore', '--auth=trust', '-E', 'UTF8', '--no-locale']));
  const port = await freePort();
  const [command, args] = asServer(path.join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const server = spawn(command, args, { stdio: 'ignore' });
  const psql = ['-h', '127.0.0.1', '-p', String(port), '-U', 'leadscore', '-d', 'postgres', '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  for (let i = 0; ; ++i) {
    if (spawnSync('psql', [...psql, '-c', 'SELECT 1'], { stdio: 'ignore' }).status === 0) break;
    if (i > 100) throw new Error('PostgreSQL did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name: 'postgres',
    load: async (table) => { run('psql', psql, 'BEGIN;\n' + loadStatements(table) + 'COMMIT;\n'); },
    loadCsv: async (name, columns, file) => {
      run('psql', psql, `${textTable(name, columns)}\\copy ${quoteIdent(name)} FROM ${quoteText(file)} WITH (FORMAT csv, HEADER true)\n`);
    },
    query: async (sql) => csvObjects(run('psql', [...psql, '--csv'], sql)),
    run: async (sql) => { run('psql', psql, sql); },
    close: async () => {
      // pg_ctl stops the server itself (runuser does not pass signals on).
      const exited = new Promise((r) => server.once('exit', r));
      run(...asServer(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-s']));
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
