// The page's real path in headless Chromium: a file picked in <lead-scorer> -> File.stream() ->
// the worker -> wasm. Prints time to the first scored leads on screen, total time, the worker's
// WebAssembly memory, the renderer's peak memory, and sort / filter / search / re-score / export
// times as the page sees them (worker round trips).
//   node bench/browser.mjs [--rows N] [--free-text | --xeducation]
// (build/wasm/site must be built; the list is bench/run.mjs's).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { serve } from '../scripts/serve.mjs';
import { benchList } from './lead-list.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const site = process.env.LEADSCORE_SITE ?? path.join(root, 'build', 'wasm', 'site');
const cli = path.join(root, 'build', 'native', 'cli', 'leadscore');
const at = process.argv.indexOf('--rows');
const rows = at > 0 ? Number(process.argv[at + 1]) : 1000000;

for (const needed of [site, cli]) if (!existsSync(needed)) throw new Error(`${needed} is missing: build first (scripts/run.sh)`);
const file = benchList(root, cli, rows);

/** Peak and current resident memory of Chromium's renderer processes (the page and its worker). */
function rendererMemory() {
  let peak = 0;
  let now = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(status)[1]) * 1024);
      now = Math.max(now, Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024);
    } catch {
      // a process that ended meanwhile
    }
  }
  return { peak, now };
}

/** Starts the renderers' peaks again from what they hold now. */
function resetPeaks() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // a process that ended meanwhile
    }
  }
}

const { server, origin } = await serve(site, { port: 0 });
const url = `${origin}/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  const before = rendererMemory();
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-scored-ms]', { state: 'attached', timeout: 600000 });
  const firstMs = Number(await page.getAttribute('lead-scorer', 'data-first-rows-ms'));
  const totalMs = Number(await page.getAttribute('lead-scorer', 'data-scored-ms'));
  const after = rendererMemory();
  await page.waitForTimeout(1000);  // the page's own first requests (summary, table) done
  // The list <lead-scorer> holds is list 1 of the shared worker: time what its table asks for.
  const timings = await page.evaluate(async () => {
    const { scorerClient } = await import('/engine.mjs');
    const { ListClient } = await import('/client.mjs');
    const { client } = scorerClient();
    const list = new ListClient(client, 1);
    // Each run asks something new (the list keeps the last answer): the median of three.
    const time = async (run) => {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        await run(i);
        runs.push(performance.now() - start);
      }
      return runs.sort((a, b) => a - b)[1];
    };
    const once = async (run) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const model = (await client.init()).defaultModel;
    const read = await client.memory();
    const sortMs = await time((i) => list.query({ sort: ['score', 'fit', 'engagement'][i], descending: true, limit: 100 }));
    const filterMs = await time((i) => list.query({ temperatures: [['hot'], ['warm'], ['cold']][i], limit: 100 }));
    const textColumnMs = await once(() => list.query({ sort: 'column', column: 6, limit: 100 }));  // Company Name: read again
    const turnedMs = await once(() => list.query({ sort: 'column', column: 6, descending: true, limit: 100 }));
    const numberColumnMs = await once(() => list.query({ sort: 'column', column: 16, limit: 100 }));  // Pageviews: cached keys
    const emailColumnMs = await once(() => list.query({ sort: 'column', column: 3, limit: 100 }));  // Email: every cell different
    const searchMs = await once(() => list.query({ search: 'north', limit: 100 }));
    const typedOnMs = await once(() => list.query({ search: 'northwind', limit: 100 }));
    const sorted = await client.memory();
    const rescoreMs = await time((i) => list.rescore({ ...model, segments: { ...model.segments, warm: 35 + i } }));
    const explainMs = await time((i) => list.explain(12345 + i));
    return { read, sorted, sortMs, filterMs, textColumnMs, turnedMs, numberColumnMs, emailColumnMs, searchMs, typedOnMs, rescoreMs, explainMs };
  });
  const beforeExport = rendererMemory();
  resetPeaks();
  const { exportMs, exportBytes, memory } = await page.evaluate(async () => {
    const { scorerClient } = await import('/engine.mjs');
    const { ListClient } = await import('/client.mjs');
    const { client } = scorerClient();
    const start = performance.now();
    const blob = await new ListClient(client, 1).exportCsv();
    return { exportMs: performance.now() - start, exportBytes: blob.size, memory: await client.memory() };
  });
  Object.assign(timings, { exportMs, memory });
  const exported = rendererMemory();
  const mb = (bytes) => (bytes / 1e6).toFixed(0);
  const size = statSync(file).size;
  console.log(`Chromium, ${rows.toLocaleString('en')} leads, ${mb(size)} MB, picked in <lead-scorer> (File.stream -> worker -> wasm):`);
  console.log(`  first scored leads on screen: ${(firstMs / 1000).toFixed(2)} s`);
  console.log(`  all scored, segmented and shown: ${(totalMs / 1000).toFixed(2)} s (${mb(size / (totalMs / 1000))} MB/s)`);
  console.log(`  worker WebAssembly memory once read: ${mb(timings.read.wasmBytes)} MB (${mb(timings.read.heapInUse)} MB in use); after sorting and searching: ${mb(timings.sorted.wasmBytes)} MB; peak, after re-scoring and exporting: ${mb(timings.memory.wasmBytes)} MB (${mb(timings.memory.heapInUse)} MB in use); budget 150 MB + 32 B/lead = ${mb(150e6 + 32 * rows)} MB`);
  console.log(`  renderer process (page + worker): peak ${mb(after.peak)} MB once read, ${mb(beforeExport.peak)} MB by the end of the sorts, searches and re-scores; during the export (${mb(exportBytes)} MB of CSV) ${mb(exported.peak)} MB; before the file ${mb(before.now)} MB`);
  const ms = (value) => `${value.toFixed(0)} ms`;
  console.log(`  sort by score: ${ms(timings.sortMs)}, filter by temperature: ${ms(timings.filterMs)}, re-score: ${ms(timings.rescoreMs)}, explain one lead: ${ms(timings.explainMs)}`);
  console.log(`  sort by a column the model reads (Pageviews): ${ms(timings.numberColumnMs)}; by another (Company Name, the file read again): ${ms(timings.textColumnMs)}, turned round: ${ms(timings.turnedMs)}; by Email (every cell different): ${ms(timings.emailColumnMs)}`);
  console.log(`  search "north" (the file read again): ${ms(timings.searchMs)}, typed on to "northwind": ${ms(timings.typedOnMs)}; export the scored CSV: ${ms(timings.exportMs)}`);
} finally {
  await browser.close();
  server.close();
}
