// A workbook against the same list as CSV: the benchmark's generated list written as Excel writes a
// workbook (text as shared strings, numbers as numbers, dates as serials with a date format, every
// part deflated), then scored by the CLI and by the JS API in Node, each alone in a fresh process.
//   node bench/workbook.mjs [--rows N] [--reps R]
// Needs build/native and build/wasm; `npm ci` in bench/ on first use (PapaParse reads the list).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { AS_OF, generatedList } from './lead-list.mjs';
import { zipEntries } from '../web/zip.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const cli = path.join(root, 'build', 'native', 'cli', 'leadscore');
const dist = path.join(root, 'build', 'wasm', 'dist');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
}

// In a child process: score one file with the JS API and print {seconds, rows, counts}.
if (process.argv[2] === '--api') {
  const { createScorer } = await import(path.join(dist, 'index.mjs'));
  const scorer = await createScorer({ wasmBinary: readFileSync(path.join(dist, 'leadscore-core.wasm')) });
  const { openAsBlob } = await import('node:fs');
  const file = await openAsBlob(process.argv[3]);
  const start = performance.now();
  const list = await scorer.scoreFile(file, { asOf: AS_OF });
  const seconds = (performance.now() - start) / 1000;
  const summary = list.summary();
  console.log(JSON.stringify({ seconds, rows: summary.rows, counts: ['cold', 'warm', 'hot'].map((t) => summary.temperatures[t].count),
    workbook: summary.workbook ?? null, wasmBytes: scorer.memory().wasmBytes }));
  process.exit(0);
}

const rows = Number(option('rows', 1000000));
const reps = Number(option('reps', 3));
for (const needed of [cli, path.join(dist, 'index.mjs')]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: build first (scripts/run.sh builds both)`);
}
if (!existsSync(path.join(here, 'node_modules', 'papaparse'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit' });
}
const { default: Papa } = await import('papaparse');

const csvFile = generatedList(root, cli, rows, false);
const bookFile = csvFile.replace(/\.csv$/, '.xlsx');

/** Writes `csvFile` as an .xlsx the way Excel saves one; resolves to the sheet XML's size. */
async function writeWorkbook() {
  const strings = new Map();
  const stringOf = (text) => {
    let index = strings.get(text);
    if (index === undefined) strings.set(text, (index = strings.size));
    return index;
  };
  const escape = (text) => text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]);
  const column = (i) => (i < 26 ? '' : String.fromCharCode(64 + Math.floor(i / 26))) + String.fromCharCode(65 + (i % 26));
  const deflater = createDeflateRaw();
  const compressed = [];
  deflater.on('data', (chunk) => compressed.push(chunk));
  const ended = new Promise((resolve) => deflater.on('end', resolve));
  let sheetBytes = 0;
  let sheetCrc = 0;
  const put = (text) => {
    const bytes = Buffer.from(text);
    sheetBytes += bytes.length;
    sheetCrc = crc32(bytes, sheetCrc);
    return deflater.write(bytes);
  };
  put('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>');
  let r = 0;
  let pending = '';
  await new Promise((resolve, reject) => {
    Papa.parse(createReadStream(csvFile), {
      step: ({ data }) => {
        r += 1;
        let row = `<row r="${r}">`;
        data.forEach((cell, i) => {
          if (cell === '') return;
          const ref = `${column(i)}${r}`;
          const us = r > 1 && /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(cell);
          const iso = r > 1 && /^(\d{4})-(\d\d)-(\d\d)$/.exec(cell);
          if (r > 1 && /^-?(0|[1-9]\d{0,14})(\.\d*[1-9])?$/.test(cell)) {
            row += `<c r="${ref}"><v>${cell}</v></c>`;
          } else if (us || iso) {
            const [y, m, d] = us ? [us[3], us[1], us[2]] : [iso[1], iso[2], iso[3]];
            const serial = Date.UTC(Number(y), Number(m) - 1, Number(d)) / 86400000 + 25569;
            row += `<c r="${ref}" s="${us ? 1 : 2}"><v>${serial}</v></c>`;
          } else {
            row += `<c r="${ref}" t="s"><v>${stringOf(cell)}</v></c>`;
          }
        });
        pending += `${row}</row>`;
        if (pending.length > 1 << 20) {
          put(pending);
          pending = '';
        }
      },
      complete: resolve,
      error: reject,
    });
  });
  put(`${pending}</sheetData></worksheet>`);
  deflater.end();
  await ended;

  let sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.size}" uniqueCount="${strings.size}">`;
  const sstParts = [];
  for (const text of strings.keys()) {
    sst += `<si><t xml:space="preserve">${escape(text)}</t></si>`;
    if (sst.length > 1 << 20) {
      sstParts.push(Buffer.from(sst));
      sst = '';
    }
  }
  sstParts.push(Buffer.from(`${sst}</sst>`));
  const entry = (name, data) => ({ path: name, data: deflateRawSync(data), crc: crc32(data), size: data.length, method: 8 });
  const parts = [
    entry('[Content_Types].xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      + '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')),
    entry('_rels/.rels', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')),
    entry('xl/workbook.xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      + 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>')),
    entry('xl/_rels/workbook.xml.rels', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
      + '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
      + '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')),
    entry('xl/styles.xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
      + '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
      + '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')),
    entry('xl/sharedStrings.xml', Buffer.concat(sstParts)),
    { path: 'xl/worksheets/sheet1.xml', data: Buffer.concat(compressed), crc: sheetCrc, size: sheetBytes, method: 8 },
  ];
  writeFileSync(bookFile, zipEntries(parts));
  return { sheetBytes, sharedStrings: strings.size };
}

let made = null;
if (!existsSync(bookFile)) {
  const start = performance.now();
  made = await writeWorkbook();
  console.log(`wrote ${bookFile} in ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function cliRun(file) {
  const summaryFile = path.join(root, 'build', 'bench', 'workbook-summary.json');
  const start = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', cli, 'score', file, '-o', '/dev/null', '-q', '--as-of', AS_OF, '--summary', summaryFile]);
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`leadscore score ${file}: ${run.stderr}`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  return { seconds, maxRssBytes: Number(run.stderr.toString().trim().split('\n').pop()) * 1024,
    counts: ['cold', 'warm', 'hot'].map((t) => summary.temperatures[t].count), workbook: summary.workbook ?? null };
}

function apiRun(file) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=8192', fileURLToPath(import.meta.url), '--api', file], { maxBuffer: 1 << 20 });
  return JSON.parse(out.toString().trim().split('\n').pop());
}

const results = {};
for (const [name, run] of [['cli', cliRun], ['api', apiRun]]) {
  for (const [kind, file] of [['csv', csvFile], ['xlsx', bookFile]]) {
    const runs = Array.from({ length: reps }, () => run(file));
    results[`${name} ${kind}`] = { seconds: median(runs.map((r) => r.seconds)), last: runs.at(-1) };
  }
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
console.log(`${rows.toLocaleString('en-US')} leads: CSV ${mb(statSync(csvFile).size)}, workbook ${mb(statSync(bookFile).size)}`
  + (made ? ` (sheet XML ${mb(made.sheetBytes)}, ${made.sharedStrings.toLocaleString('en-US')} shared strings)` : ''));
for (const [name, { seconds, last }] of Object.entries(results)) {
  const memory = last.maxRssBytes ? `, peak RSS ${mb(last.maxRssBytes)}` : last.wasmBytes ? `, wasm memory ${mb(last.wasmBytes)}` : '';
  console.log(`${name.padEnd(9)} ${seconds.toFixed(2)} s (median of ${reps})${memory}; cold/warm/hot ${last.counts.join('/')}`);
}
const same = (a, b) => JSON.stringify(results[a].last.counts) === JSON.stringify(results[b].last.counts);
console.log(`same temperatures: CLI ${same('cli csv', 'cli xlsx')}, API ${same('api csv', 'api xlsx')}`);
