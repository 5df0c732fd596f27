// A worker thread that reads parts of a list for the 'wasm-parts' contender (scoreFile's
// parallel.readPart in Node): {file, request} in, {packed, end} out (packed transferred).
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

import { fileSlices } from './file-slices.mjs';

const { build, wasmModule } = workerData;
const api = await import(path.join(build, 'dist', 'index.mjs'));
const scorer = await api.createScorer({ wasmModule });  // compiled once, by the thread that made this one

parentPort.on('message', async ({ file, request }) => {
  try {
    const part = await scorer.readPart(fileSlices(file), request, { chunkBytes: 1 << 20 });
    parentPort.postMessage({ part }, [part.packed.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: String(error?.message ?? error) });
  }
});
