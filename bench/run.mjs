// The benchmark: our wasm module (file stream, whole file), our native CLI, PapaParse + JS scoring,
// uDSV streaming + JS scoring and the touch-every-byte floor, in one run on one generated file.
//   node bench/run.mjs [--rows N] [--reps R] [--only name,name] [--free-text | --xeducation]
// Needs build/native and build/wasm (scripts/run.sh or scripts/test.sh make them) and `npm ci` in bench/.
// Each contender runs alone in a fresh process (peak memory is its own); medians of R repetitions.
// wasm-stream first warms up (scorer.warmUp) as the page's worker does once loaded.
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { compileScorer } from './js-scorer.mjs';
import { AS_OF, benchList } from './lead-list.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const cli = path.join(root, 'build', 'native', 'cli', 'leadscore');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}
const rows = Number(option('rows', 1000000));
const reps = Number(option('reps', 3));
const only = option('only', '')?.split(',').filter(Boolean);

for (const needed of [cli, path.join(root, 'build', 'wasm', 'dist', 'index.mjs'), path.join(root, 'build', 'wasm', 'bench', 'floor.mjs')]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: build first (scripts/run.sh builds both)`);
}
if (!existsSync(path.join(here, 'node_modules', 'udsv'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}

const dataDir = path.join(root, 'build', 'bench');
const file = benchList(root, cli, rows);
const megabytes = statSync(file).size / 1e6;
const columns = JSON.parse(execFileSync(cli, ['columns', file, '--json'], { maxBuffer: 1 << 26 }).toString());
const mapping = Object.fromEntries(columns.columns.filter((c) => c.field).map((c) => [c.field, c.header]));
const header = columns.columns.map((c) => c.header);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function runNode(name) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', path.join(here, 'contender.mjs'), name, file, AS_OF, JSON.stringify(mapping)],
    { maxBuffer: 1 << 20 }).toString();
  return JSON.parse(out.trim().split('\n').pop());
}

function runCli() {
  const summaryFile = path.join(dataDir, 'cli-summary.json');
  const start = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', cli, 'score', file, '-o', '/dev/null', '--quiet', '--as-of', AS_OF, '--summary', summaryFile]);
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`leadscore score failed: ${run.stderr}`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const maxRssBytes = Number(run.stderr.toString().trim().split('\n').pop()) * 1024;
  return { seconds, maxRssBytes, counts: ['cold', 'warm', 'hot'].map((t) => summary.temperatures[t].count) };
}

// Row by row, the JS scoring of the peers must give our temperatures (the CLI's = the module's).
function checkParity() {
  const scored = path.join(dataDir, 'scored.csv');
  execFileSync(cli, ['score', file, '-o', scored, '--quiet', '--as-of', AS_OF]);
  const model = JSON.parse(execFileSync(cli, ['default-model']).toString());
  const temperature = compileScorer(model, header, mapping, Math.floor(Date.parse(`${AS_OF}T00:00:00Z`) / 86400000));
  const names = ['cold', 'warm', 'hot'];
  return import('udsv').then(async ({ inferSchema, initParser }) => {
    let parser = null;
    let at = -1;
    let checked = 0;
    let different = 0;
    const compare = (row) => {
      ++checked;
      if (names[temperature(row)] !== row[at]) ++different;
    };
    const decoder = new TextDecoder();
    for await (const chunk of createReadStream(scored, { highWaterMark: 1 << 22 })) {
      const text = decoder.decode(chunk, { stream: true });
      if (!parser) {
        const schema = inferSchema(text);
        at = schema.cols.findIndex((c) => c.name === 'lead_temperature');
        parser = initParser(schema);
      }
      parser.chunk(text, parser.stringArrs, compare);
    }
    parser.end();
    return { checked, different };
  });
}

const contenders = [
  ['wasm-stream', 'ours: wasm, file stream (one thread)', () => runNode('wasm-stream')],
  ['wasm-whole', 'ours: wasm, whole file', () => runNode('wasm-whole')],
  ['native', 'ours: native CLI (writes the scored CSV)', runCli],
  ['papaparse', 'PapaParse (header: true) + JS scoring', () => runNode('papaparse')],
  ['udsv', 'uDSV streaming + JS scoring', () => runNode('udsv')],
  ['floor', 'floor: read + copy to wasm + SIMD128 scan', () => runNode('floor')],
  ['wasm-start', 'ours: module start (compile + instantiate)', () => runNode('wasm-start')],
].filter(([name]) => !only?.length || only.includes(name));

console.log(`${rows.toLocaleString('en')} leads, ${megabytes.toFixed(0)} MB (${path.relative(root, file)}), ${reps} repetitions, medians; node ${process.version}`);
const parity = await checkParity();
console.log(`JS scoring vs ours, row by row: ${parity.checked.toLocaleString('en')} rows, ${parity.different} different`);
const results = {};
for (const [name, label, run] of contenders) {
  const runs = Array.from({ length: reps }, run);
  results[name] = {
    label,
    seconds: median(runs.map((r) => r.seconds)),
    firstSeconds: runs[0].firstSeconds === undefined ? undefined : median(runs.map((r) => r.firstSeconds)),
    maxRssBytes: median(runs.map((r) => r.maxRssBytes)),
    counts: runs[0].counts,
  };
}
const ours = (results['wasm-stream'] ?? results['wasm-whole'])?.counts;
console.log('');
console.log('| contender | time (s) | leads/s | MB/s | peak RSS (MB) | cold / warm / hot |');
console.log('|---|---:|---:|---:|---:|---|');
for (const [name, r] of Object.entries(results)) {
  const scoring = !['floor', 'wasm-start'].includes(name);
  if (scoring && ours && r.counts.join() !== ours.join()) throw new Error(`${name} gives other temperatures: ${r.counts} vs ${ours}`);
  console.log(`| ${r.label} | ${r.seconds.toFixed(name === 'wasm-start' ? 3 : 2)} | ${name === 'wasm-start' ? '' : Math.round(rows / r.seconds).toLocaleString('en')} | ${name === 'wasm-start' ? '' : (megabytes / r.seconds).toFixed(0)} | ${(r.maxRssBytes / 1e6).toFixed(0)} | ${scoring ? r.counts.join(' / ') : ''} |`);
}
const ratio = (a, b) => (results[a] && results[b] ? `${(results[b].seconds / results[a].seconds).toFixed(1)}x` : 'n/a');
console.log('');
for (const [name, label] of [['wasm-stream', 'file stream'], ['wasm-whole', 'whole file']]) {
  if (!results[name]) continue;
  console.log(`ours (${label}) vs PapaParse + JS: ${ratio(name, 'papaparse')} faster (target >= 30x)`);
  console.log(`ours (${label}) vs uDSV + JS:      ${ratio(name, 'udsv')} faster (target >= 4x)`);
  if (results.floor) console.log(`ours (${label}) vs the floor:      ${(results[name].seconds / results.floor.seconds).toFixed(1)}x the floor's time (target <= 2x)`);
}
if (results.native) console.log(`native CLI: ${(megabytes / results.native.seconds).toFixed(0)} MB/s on one core (target >= 500)`);
if (results['wasm-start']) console.log(`module start: ${(results['wasm-start'].seconds * 1000).toFixed(0)} ms (target < 100)`);
if (results['wasm-stream']?.firstSeconds !== undefined) console.log(`first progress with scored rows: ${results['wasm-stream'].firstSeconds.toFixed(2)} s`);
