// The page in a real Chromium (Debian's, driven by playwright-core), served by scripts/serve.mjs
// with its Content-Security-Policy. LEADSCORE_SITE: the built site; LEADSCORE_CLI: the native CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, cli, shots, work, shared, servedSite } from './support.mjs';

const SAMPLE = path.join(root, 'samples/b2b-leads.csv');
const TODAY = new Date().toISOString().slice(0, 10);

const served = servedSite();
const openPage = (t) => served.openPage(t);

/** {cold, warm, hot} counts the CLI finds. */
function cliCounts(file, asOf) {
  const summary = path.join(work, 'cli-summary.json');
  const args = ['score', file, '-o', path.join(work, 'cli-out.csv'), '--summary', summary, '-q'];
  if (asOf) args.push('--as-of', asOf);
  const run = spawnSync(cli, args);
  assert.equal(run.status, 0, run.stderr?.toString());
  const { temperatures } = JSON.parse(readFileSync(summary, 'utf8'));
  return { cold: temperatures.cold.count, warm: temperatures.warm.count, hot: temperatures.hot.count };
}

async function pageCounts(page) {
  const read = async (t) => Number((await page.textContent(`.card-count[data-temperature="${t}"]`)).replace(/,/g, ''));
  return { cold: await read('cold'), warm: await read('warm'), hot: await read('hot') };
}

async function upload(page, file) {
  await page.evaluate(() => delete document.querySelector('lead-scorer').dataset.rows);
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached', timeout: 120000 });
}

async function exportedBytes(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  return readFileSync(await download.path());
}

test('a file chosen before the scorer is ready is kept and scored once it is', async () => {
  // A slow network for the engine: the page is usable before its WebAssembly arrives.
  const context = await served.browser.newContext();
  try {
    const page = await context.newPage();
    await page.route('**/*.wasm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await route.continue();
    });
    await page.goto(`${served.origin}/`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#csv', { state: 'attached' });
    assert.equal(await page.getAttribute('lead-scorer', 'data-ready'), null, 'the engine is still starting');
    await page.setInputFiles('#csv', SAMPLE);
    await page.waitForSelector('#progress:not([hidden])');
    assert.equal(await page.textContent('#progress-text'), 'Starting the scorer…');
    await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached', timeout: 60000 });
    assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '500');
  } finally {
    await context.close();
  }
});

test('the sample loads in one click and shows the same counts as the CLI', async (t) => {
  const page = await openPage(t);
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '10000');
  if (existsSync(cli)) {
    // The page generates the same 10,000 leads as `leadscore sample`, dated from today.
    const generated = path.join(work, 'sample-10000.csv');
    const run = spawnSync(cli, ['sample', '--rows', '10000', '--seed', '1', '--as-of', TODAY, '-o', generated]);
    assert.equal(run.status, 0, run.stderr?.toString());
    assert.deepEqual(await pageCounts(page), cliCounts(generated, TODAY));
  } else {
    t.diagnostic(`counts not compared: the native CLI is not built at ${cli}`);
  }
  assert.ok(await page.isVisible('#privacy'));
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .hits');
  assert.match(await page.textContent('lead-detail'), /Next:/);
  // A warm lead says what would make it hot.
  await page.click('.filter.warm');
  await page.waitForFunction(() => {
    const rows = [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('.rows .tr')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('warm'));
  });
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .to-hot');
  assert.match(await page.textContent('lead-detail .to-hot'), /What would make this lead hot/);
  await page.screenshot({ path: path.join(shots, 'sample.png'), fullPage: true });
});

test('an uploaded CSV gives the CLI counts and byte-identical exports', async (t) => {
  if (!existsSync(cli)) {
    t.skip(`the native CLI is not built at ${cli}`);
    return;
  }
  const page = await openPage(t);
  const files = [path.join(root, 'tests/fixtures/tricky_leads.csv')];
  const leads = path.join(shared, 'real/xeducation/Leads.csv');
  if (existsSync(leads)) files.push(leads);
  else t.diagnostic('skipped the X Education list: ../shared/data is absent');
  for (const file of files) {
    await upload(page, file);
    assert.deepEqual(await pageCounts(page), cliCounts(file));
    assert.ok((await exportedBytes(page)).equals(readFileSync(path.join(work, 'cli-out.csv'))), `export differs for ${file}`);
  }
  // Filter and explain on the last list (the X Education export when the shared data is there).
  await page.click('.filter.hot');
  await page.waitForFunction(() => {
    const rows = [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('.rows .tr')];
    return rows.length > 0 && rows.every((r) => r.classList.contains('hot'));
  });
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .hits');
  assert.match(await page.textContent('lead-detail'), /HOT/);
  await page.screenshot({ path: path.join(shots, 'uploaded-hot.png') });
});

test('changing a threshold re-buckets the list and says how many changed', async (t) => {
  const page = await openPage(t);
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
  const before = await pageCounts(page);
  await page.click('#model-panel > summary');
  await page.fill('lead-model input[name="hot"]', '90');
  await page.press('lead-model input[name="hot"]', 'Tab');
  await page.waitForFunction((hot) => document.querySelector('lead-scorer').dataset.hot !== String(hot), before.hot);
  const after = await pageCounts(page);
  assert.ok(after.hot < before.hot, `hot went from ${before.hot} to ${after.hot}`);
  assert.match(await page.textContent('#rescore-note'), /\d+ leads changed temperature/);
  await page.screenshot({ path: path.join(shots, 'threshold.png'), fullPage: true });
});

test('a broken file and an invalid model each show a clear error', async (t) => {
  const page = await openPage(t);
  await page.setInputFiles('#csv', path.join(root, 'tests/fixtures/not_a_csv.png'));
  await page.waitForSelector('#error:not([hidden])');
  assert.equal(await page.getAttribute('#error', 'data-code'), 'csv.not_text');
  assert.match(await page.textContent('#error'), /not a CSV file/);

  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
  await page.click('#model-panel > summary');
  await page.fill('lead-model input[name="warm"]', '95');
  await page.press('lead-model input[name="warm"]', 'Tab');
  await page.waitForSelector('#model-errors li');
  assert.match(await page.textContent('#model-errors'), /\/segments\/warm/);
  await page.screenshot({ path: path.join(shots, 'errors.png'), fullPage: true });
});

test('a 200,000-row file scores with progress while the page keeps answering, and exports in parts', async (t) => {
  const big = path.join(work, 'big-200k.csv');
  if (!existsSync(big)) {
    const sample = readFileSync(SAMPLE);
    const headerEnd = sample.indexOf('\r\n') + 2;
    const out = createWriteStream(big);
    out.write(sample.subarray(0, headerEnd));
    for (let i = 0; i < 400; i++) out.write(sample.subarray(headerEnd));
    out.end();
    await once(out, 'finish');
  }
  const page = await openPage(t);
  const workers = [];
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.evaluate(() => {
    delete document.querySelector('lead-scorer').dataset.rows;
    document.querySelector('lead-scorer').dataset.progressUpdates = '0';
  });
  const before = workers.length;
  await page.setInputFiles('#csv', big);
  // While the worker scores, the main thread must keep answering within a frame or two.
  const delays = [];
  while (!(await page.getAttribute('lead-scorer', 'data-rows'))) {
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    delays.push(Date.now() - started);
    if (delays.length > 2000) break;
  }
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '200000');
  assert.ok(Number(await page.getAttribute('lead-scorer', 'data-progress-updates')) >= 2, 'too few progress updates');
  // The hottest leads scored so far showed before the whole file was read.
  assert.ok(Number(await page.getAttribute('lead-scorer', 'data-first-rows-ms')) > 0, 'no leads shown while reading');
  delays.sort((a, b) => a - b);
  assert.ok(delays[Math.floor(delays.length / 2)] < 200, `median main-thread delay ${delays[Math.floor(delays.length / 2)]} ms`);
  // One worker reads the file: no copy of it was started.
  assert.equal(workers.length, before, 'a helper worker was started for reading');
  // While the export is written, its button says how far it is and cannot be pressed again.
  await page.evaluate(() => {
    const button = document.querySelector('lead-scorer').shadowRoot.getElementById('export-csv');
    window.exportStates = [];
    new MutationObserver(() => window.exportStates.push([button.textContent, button.disabled]))
      .observe(button, { childList: true, characterData: true, subtree: true, attributes: true });
  });
  const beforeExport = workers.length;
  const exported = await exportedBytes(page);
  await page.waitForFunction(() => !document.querySelector('lead-scorer').shadowRoot.getElementById('export-csv').disabled);
  // 48 MB on a machine with more than one core: written in parts at once by copies of the worker,
  // and still the CLI's bytes.
  if (await page.evaluate(() => navigator.hardwareConcurrency) > 1) {
    assert.ok(workers.length > beforeExport, 'no helper worker wrote a part of the export');
  } else {
    t.diagnostic('one core: the export was written by one worker');
  }
  const states = await page.evaluate(() => window.exportStates);
  assert.ok(states.some(([text, disabled]) => disabled && /^Preparing the scored CSV… \d+%$/.test(text)), `no progress shown: ${JSON.stringify(states)}`);
  assert.equal(await page.textContent('#export-csv'), 'Download scored CSV');
  if (existsSync(cli)) {
    assert.deepEqual(await pageCounts(page), cliCounts(big));
    assert.ok(exported.equals(readFileSync(path.join(work, 'cli-out.csv'))), 'the export differs from the CLI\'s');
  }
  await page.screenshot({ path: path.join(shots, 'big.png') });
});

test('drop, paste, search, explain, correct the mapping, and cancel', async (t) => {
  const page = await openPage(t);
  // Drop a file on the drop zone.
  const csv = readFileSync(path.join(root, 'tests/fixtures/tricky_leads.csv'));
  await page.evaluate(async (bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('lead-scorer').shadowRoot.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [...csv]);
  await page.waitForSelector('lead-scorer[data-rows="5"]', { state: 'attached' });
  assert.match(await page.textContent('#file-info'), /dropped\.csv/);

  // Paste rows.
  await page.click('#paste');
  await page.fill('#paste-text', 'Email,Job Title,Demo Requested\nann@acme.com,VP Sales,yes\nbob@gmail.com,Student,no\n');
  await page.click('#paste-form button[type="submit"]');
  await page.waitForSelector('lead-scorer[data-rows="2"]', { state: 'attached' });

  // Search and explain on the sample.
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  await page.fill('lead-table .search', 'northwind');
  await page.waitForFunction(() => {
    const rows = [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('.rows .tr')];
    return rows.length > 0 && rows.every((r) => r.textContent.toLowerCase().includes('northwind'));
  });
  await page.keyboard.press('Tab');
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .hits');
  assert.match(await page.textContent('lead-detail'), /northwind/i);

  // Take the job title column away from the model: the list re-scores and says so.
  await page.click('#mapping-panel > summary');
  const select = page.locator('lead-mapping select[aria-label="Lead field for column Job Title"]');
  await select.selectOption('');
  await page.waitForFunction(() => /changed temperature/.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.match(await page.textContent('lead-mapping'), /Job title/);

  // Cancel a long read.
  const big = path.join(work, 'big-200k.csv');
  if (existsSync(big)) {
    await page.evaluate(() => { document.querySelector('lead-scorer').dataset.progressUpdates = '0'; });
    await page.setInputFiles('#csv', big);
    await page.waitForFunction(() => Number(document.querySelector('lead-scorer').dataset.progressUpdates) >= 1);
    await page.click('#cancel');
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'aborted');
  }
});

test('model presets, export and import', async (t) => {
  const page = await openPage(t);
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  const before = await pageCounts(page);
  await page.click('#model-panel > summary');
  await page.selectOption('lead-model select[aria-label="Model"]', 'matrix');
  await page.waitForFunction(() => /changed temperature/.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.notDeepEqual(await pageCounts(page), before);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export model')]);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.segments.method, 'matrix');
  assert.equal(exported.leadscore_model, 1);

  // An invalid model file is refused with its problems listed; the model in force stays.
  await page.setInputFiles('lead-model input[type="file"]', path.join(root, 'tests/fixtures/model_bad_points.json'));
  await page.waitForSelector('#model-errors li');
  assert.match(await page.textContent('#model-errors'), /\/fit\/rules\/1\/points/);
  // A valid one is applied: the default model brings the counts back.
  if (!existsSync(cli)) {
    t.diagnostic(`skipped importing a valid model: the native CLI is not built at ${cli}`);
    return;
  }
  const model = path.join(work, 'default-model.json');
  writeFileSync(model, spawnSync(cli, ['default-model']).stdout);
  await page.setInputFiles('lead-model input[type="file"]', model);
  await page.waitForFunction((hot) => document.querySelector('lead-scorer').dataset.hot === String(hot), before.hot);
  assert.deepEqual(await pageCounts(page), before);
});

test('a list with outcomes: back-test the model in force, learn one, use it', async (t) => {
  const page = await openPage(t);
  // Outcomes that follow Plan and Visits; Tags copies the outcome (a column filled after contact).
  let state = 99;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['Email,Job Title,Plan,Visits,Tags,Converted'];
  for (let i = 0; i < 1500; ++i) {
    const plan = ['Pro', 'Basic', 'Free'][Math.floor(next() * 3)];
    const visits = Math.floor(next() * 30);
    const won = next() < 0.1 + 0.5 * (plan === 'Pro') + 0.01 * visits;
    lines.push(`u${i}@corp${i % 50}.com,Manager,${plan},${visits},${won ? 'Won' : 'Lost'},${won ? 1 : 0}`);
  }
  const file = path.join(work, 'outcomes.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await upload(page, file);
  // The list says how its leads ended: the page says so where it is seen, and leads to learning.
  assert.match(await page.textContent('#outcome-nudge'), /This list says how its leads ended \(“Converted”\)/);
  await page.click('#open-learn');
  assert.equal(await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.getElementById('learn-panel').open), true);
  assert.equal(await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.id), 'learn');
  assert.equal(await page.inputValue('lead-learn select[name="outcome"]'), 'Converted');

  await page.click('lead-learn #backtest');
  await page.waitForSelector('lead-learn .auc');
  assert.match(await page.textContent('lead-learn .learn-figures'), /The model in force on “Converted”: AUC \d\.\d{3}/);
  assert.match(await page.textContent('lead-learn .auc-words'), /^Take a lead that converted and one that did not: \d+ times in 100 the one that converted scores higher/);

  await page.click('lead-learn #learn');
  await page.waitForSelector('lead-learn #use-learned');
  const figures = await page.textContent('lead-learn .learn-figures');
  const auc = Number(figures.match(/cross-validated AUC (\d\.\d{3})/)[1]);
  assert.ok(auc > 0.7, figures);
  assert.match(await page.textContent('lead-learn'), /Left out as filled after contact.*Tags/s);
  assert.ok((await page.locator('lead-learn table.learned tbody tr').count()) > 0, 'the learned points are listed');
  assert.equal(await page.locator('lead-learn svg.deciles rect').count(), 10, 'the lift chart has ten deciles');
  // Both models on this list, side by side, and how many leads would move.
  await page.click('lead-learn #compare-learned');
  await page.waitForSelector('lead-learn table.compare');
  assert.equal(await page.locator('lead-learn table.compare tbody tr').count(), 5);
  assert.match(await page.textContent('lead-learn .changed'), /^[\d,]+ leads would change temperature/);
  await page.screenshot({ path: path.join(shots, 'learned.png'), fullPage: true });

  const before = await pageCounts(page);
  await page.click('lead-learn #use-learned');
  await page.waitForFunction(() => /changed temperature/.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.equal(await page.inputValue('lead-model input[name="model-name"]'), 'Learned from Converted');
  // The model chooser says which model is in force, not a preset it is not.
  assert.match(await page.textContent('lead-model select[name="model-choice"] option:checked'), /^Learned from Converted \(not saved\)$/);
  const after = await pageCounts(page);
  assert.equal(after.hot + after.warm + after.cold, 1500);
  assert.notDeepEqual(after, before);
  // About a fifth of the leads are hot under the learned thresholds.
  assert.ok(after.hot > 150 && after.hot < 450, `hot: ${after.hot}`);
  // The report the model was chosen from stays; the nudge to learn has done its work.
  assert.ok(await page.isVisible('lead-learn #use-learned'));
  assert.ok(await page.isHidden('#outcome-nudge'));
  assert.match(await page.textContent('lead-learn .learn-figures'), /cross-validated AUC/);
});

test('the model in force as SQL for a warehouse: the same text as the CLI writes', async (t) => {
  const page = await openPage(t);
  const file = path.join(root, 'samples/b2b-leads.csv');
  await upload(page, file);
  await page.click('#warehouse-panel > summary');
  await page.selectOption('lead-warehouse select[name="dialect"]', 'bigquery');
  await page.fill('lead-warehouse input[name="table"]', 'crm.leads');
  await page.selectOption('lead-warehouse select[name="key"]', 'Email');
  await page.click('lead-warehouse button.primary');
  await page.waitForSelector('lead-warehouse .actions:not([hidden])');
  const sql = await page.inputValue('lead-warehouse textarea');
  const mapping = path.join(work, 'b2b-mapping.json');
  writeFileSync(mapping, spawnSync(cli, ['columns', file, '--json']).stdout);
  const expected = spawnSync(cli, ['sql', '--dialect', 'bigquery', '--table', 'crm.leads', '--columns', mapping, '--key', 'Email'],
    { encoding: 'utf8' });
  assert.equal(expected.status, 0, expected.stderr);
  assert.equal(sql, expected.stdout);
  assert.match(sql, /FROM `crm`\.`leads`/);
  assert.match(await page.textContent('lead-warehouse .hint'), new RegExp(`One SELECT for BigQuery \\(${Math.round(Buffer.byteLength(sql) / 1000)} KB\\)`));
  // The dbt project: a zip of the files `leadscore dbt` writes.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('lead-warehouse button.dbt')]);
  assert.equal(download.suggestedFilename(), 'leadscore-dbt-bigquery.zip');
  const dbtDir = path.join(work, 'dbt-bigquery');
  const cliDbt = spawnSync(cli, ['dbt', '--dialect', 'bigquery', '--table', 'crm.leads', '--columns', mapping, '--key', 'Email',
    '-o', dbtDir], { encoding: 'utf8' });
  assert.equal(cliDbt.status, 0, cliDbt.stderr);
  const read = spawnSync('python3', ['-c', `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "files": {i.filename: z.read(i).decode() for i in z.infolist()}}))`,
  await download.path()], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(read.status, 0, read.stderr);
  const unzipped = JSON.parse(read.stdout);
  assert.equal(unzipped.bad, null);
  for (const name of ['dbt_project.yml', 'models/lead_scores.sql', 'models/sources.yml', 'models/schema.yml', 'README.md']) {
    assert.equal(unzipped.files[name], readFileSync(path.join(dbtDir, name), 'utf8'), name);
  }
  assert.match(await page.textContent('lead-warehouse .hint'), /dbt project \(5 files, [\d,]+ KB zip\)/);
  await page.screenshot({ path: path.join(shots, 'warehouse.png'), fullPage: true });
});

test('a scorer taken out of the page lets go of its list and its listeners', async (t) => {
  const page = await openPage(t);
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  const heap = () => page.evaluate(async () => (await (await import('/engine.mjs')).scorerClient().client.memory()).heapInUse);
  const held = await heap();
  // Moved within the page: it keeps its list.
  await page.evaluate(() => {
    const scorer = document.querySelector('lead-scorer');
    document.querySelector('footer').append(scorer);
    document.querySelector('main').append(scorer);
  });
  await page.waitForTimeout(200);
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '10000');
  // Taken out, with another scorer put in its place: its list is freed, and a paste goes to the new one only.
  await page.evaluate(() => {
    window.removedScorer = document.querySelector('lead-scorer');
    window.removedScorer.remove();
    document.querySelector('main').append(document.createElement('lead-scorer'));
  });
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  const freed = held - await heap();
  assert.ok(freed > 1e6, `freed ${freed} bytes`);
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'Email,Job Title\nann@acme.com,CEO\n');
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('lead-scorer[data-rows="1"]', { state: 'attached' });
  assert.equal(await page.evaluate(() => window.removedScorer.dataset.rows ?? null), null, 'the removed scorer did not read the paste');
});
