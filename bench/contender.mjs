// One contender of the benchmark, run alone in its own process so its peak memory is its own:
//   node bench/contender.mjs NAME FILE AS_OF_YYYY-MM-DD MAPPING_JSON
// Prints one JSON line: {seconds, firstSeconds?, counts: [cold, warm, hot], maxRssBytes}.
import { execFileSync } from 'node:child_process';
import { createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { compileScorer } from './js-scorer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const build = process.env.LEADSCORE_WASM_BUILD ?? path.join(here, '..', 'build', 'wasm');
const [name, file, asOf, mappingJson] = process.argv.slice(2);
const asOfDays = Math.floor(Date.parse(`${asOf}T00:00:00Z`) / 86400000);
const mapping = JSON.parse(mappingJson ?? '{}');
const CHUNK = 1 << 20;

async function ourModule() {
  const api = await import(path.join(build, 'dist', 'index.mjs'));
  return api.createScorer({ wasmBinary: readFileSync(path.join(build, 'dist', 'leadscore-core.wasm')) });
}

// As the page's worker does once loaded, before a file is dropped (see scorer.warmUp).
async function warmModule() {
  const scorer = await ourModule();
  await scorer.warmUp();
  return scorer;
}

function countsOf(summary) {
  return ['cold', 'warm', 'hot'].map((t) => summary.temperatures[t].count);
}

// The peers get the model from the CLI, so our module's memory is not in their peak.
function jsModel() {
  return JSON.parse(execFileSync(path.join(here, '..', 'build', 'native', 'cli', 'leadscore'), ['default-model']).toString());
}

const contenders = {
  // Our module, the file read whole into memory first.
  async 'wasm-whole'() {
    const scorer = await ourModule();
    const start = performance.now();
    const bytes = readFileSync(file);
    const list = await scorer.scoreFile(bytes, { asOf });
    return { seconds: (performance.now() - start) / 1000, counts: countsOf(list.summary()) };
  },
  // Our module fed from a file stream, as the page's worker feeds it from File.stream(), and reading
  // rows back from the file (as the worker does with FileReaderSync) instead of keeping a copy.
  async 'wasm-stream'() {
    const scorer = await warmModule();
    const start = performance.now();
    let firstSeconds;
    const fd = openSync(file, 'r');
    const list = await scorer.scoreFile(createReadStream(file, { highWaterMark: CHUNK }), {
      asOf,
      readSource: (offset, length) => {
        const bytes = new Uint8Array(length);
        return readSync(fd, bytes, 0, length, offset) === length ? bytes : null;
      },
      onProgress: ({ rows }) => { if (firstSeconds === undefined && rows > 0) firstSeconds = (performance.now() - start) / 1000; },
    });
    return { seconds: (performance.now() - start) / 1000, firstSeconds, counts: countsOf(list.summary()) };
  },
  // Module start alone: compile + instantiate.
  async 'wasm-start'() {
    const start = performance.now();
    await ourModule();
    return { seconds: (performance.now() - start) / 1000, counts: [0, 0, 0] };
  },
  // PapaParse with header: true (objects per row), then the same scoring in JS.
  async papaparse() {
    const { default: Papa } = await import('papaparse');
    const model = jsModel();
    const start = performance.now();
    const text = readFileSync(file, 'utf8');
    const parsed = Papa.parse(text, { header: true, skipEmptyLines: true });
    const header = parsed.meta.fields;
    const temperature = compileScorer(model, header, mapping, asOfDays, { byName: true });
    const counts = [0, 0, 0];
    for (const row of parsed.data) ++counts[temperature(row)];
    return { seconds: (performance.now() - start) / 1000, counts };
  },
  // uDSV streaming (its fastest path: string arrays to a callback), then the same scoring in JS.
  async udsv() {
    const { inferSchema, initParser } = await import('udsv');
    const model = jsModel();
    const start = performance.now();
    const counts = [0, 0, 0];
    let parser = null;
    let temperature = null;
    const decoder = new TextDecoder();
    const score = (row) => { ++counts[temperature(row)]; };
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      const text = decoder.decode(chunk, { stream: true });
      if (!parser) {
        const schema = inferSchema(text);
        parser = initParser(schema);
        temperature = compileScorer(model, schema.cols.map((c) => c.name), mapping, asOfDays);
      }
      parser.chunk(text, parser.stringArrs, score);
    }
    parser.end();
    return { seconds: (performance.now() - start) / 1000, counts };
  },
  // The floor: every byte read from the file, copied into wasm memory and scanned once (SIMD128).
  async floor() {
    const { default: createFloorModule } = await import(path.join(build, 'bench', 'floor.mjs'));
    const floor = await createFloorModule({ wasmBinary: readFileSync(path.join(build, 'bench', 'floor.wasm')) });
    const start = performance.now();
    const buffer = floor._floor_buffer(CHUNK);
    let structural = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      floor.HEAPU8.set(chunk, buffer);
      structural += floor._floor_scan(buffer, chunk.length);
    }
    return { seconds: (performance.now() - start) / 1000, counts: [structural, 0, 0] };
  },
};

const result = await contenders[name]();
console.log(JSON.stringify({ ...result, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
