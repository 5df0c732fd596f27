// The embeddable widgets and the example portal, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { root, site, cli, shots, work, launchChromium, openPage as open } from './support.mjs';
import { generate } from '../hostile/generate.mjs';

let scorer;    // the scorer's origin (embed.html lives here)
let portal;    // a second origin, as an intranet would be
let browser;
const scorerFrameOrigins = [];

before(async () => {
  browser = await launchChromium();
  scorer = await serve(site, { port: 0, frameOrigins: scorerFrameOrigins });
  // Another origin with a bare host page, as a portal on its own server would be.
  const portalRoot = path.join(work, 'portal');
  mkdirSync(portalRoot, { recursive: true });
  writeFileSync(path.join(portalRoot, 'host.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title><link rel="icon" href="data:,"></head>' +
    '<body><iframe id="scorer-frame" title="Lead scorer"></iframe></body></html>\n');
  portal = await serve(portalRoot, { port: 0, frameOrigins: [scorer.origin] });
  scorerFrameOrigins.push(portal.origin);
});

after(async () => {
  await browser?.close();
  scorer?.server.close();
  portal?.server.close();
});

const openPage = (t, url, origins, options) => open(browser, t, url, origins, options);

/** What the CLI says of one lead given as {header: value}. */
function cliExplain(lead) {
  const file = path.join(work, 'one-lead.csv');
  const quote = (v) => `"${String(v).replace(/"/g, '""')}"`;
  writeFileSync(file, `${Object.keys(lead).map(quote).join(',')}\n${Object.values(lead).map(quote).join(',')}\n`);
  const run = spawnSync(cli, ['explain', file, '--row', '1']);
  assert.equal(run.status, 0, run.stderr?.toString());
  return JSON.parse(run.stdout.toString());
}

test('the example portal: two widgets, typing re-scores, lead-scored matches the CLI', async (t) => {
  const page = await openPage(t, `${scorer.origin}/examples/intranet.html`, [scorer.origin]);
  await page.waitForFunction(() => document.getElementById('team-form')?.result && document.getElementById('quick-form')?.dataset.ready);
  // The prefilled team form (inline model) scored; the empty quick form asks for a field instead
  // of calling an empty lead cold.
  assert.equal(await page.evaluate(() => document.getElementById('team-form').result.temperature), 'hot');
  assert.equal(await page.evaluate(() => document.getElementById('quick-form').result), null);
  assert.equal(await page.textContent('#quick-form >> [part="empty"]'), 'Fill in a field to score this lead.');
  // Compact: the fields worth most, the others behind "More fields".
  const quick = page.locator('#quick-form');
  const inputs = await page.evaluate(() => {
    const form = document.getElementById('quick-form').shadowRoot.querySelector('form');
    return { shown: form.querySelectorAll(':scope > label input').length, more: form.querySelectorAll('details.more input').length };
  });
  assert.equal(inputs.shown, 8);
  assert.ok(inputs.more > 10, `${inputs.more} more fields`);
  await quick.locator('details.more > summary').click();
  const badge = () => page.evaluate(() => document.getElementById('quick-form').shadowRoot.querySelector('[part="badge"]')?.dataset.temperature);
  // The iframe is as tall as its content.
  await page.waitForFunction(() => {
    const frame = document.getElementById('scorer-frame');
    const content = frame.contentDocument?.documentElement.scrollHeight ?? 0;
    return content > 0 && Math.abs(frame.getBoundingClientRect().height - content - 4) <= 4;
  });
  await page.evaluate(() => {
    window.scoredEvents = [];
    document.getElementById('quick-form').addEventListener('lead-scored', (e) => window.scoredEvents.push(e.detail));
  });
  await quick.locator('input[name="job_title"]').fill('VP of Sales');
  await quick.locator('input[name="employees"]').fill('1,001-5,000');
  await quick.locator('input[name="sessions"]').fill('9');
  await quick.locator('input[name="demo_requested"]').check();
  await quick.locator('input[name="last_activity_date"]').fill(new Date().toISOString().slice(0, 10));
  // Settled: the last lead-scored event is the score of everything typed (an earlier input's score
  // can already be hot).
  const settled = () => page.evaluate(async () => {
    const form = document.getElementById('quick-form');
    const last = window.scoredEvents.at(-1);
    if (last?.temperature !== 'hot' || form.shadowRoot.querySelector('[part="badge"]')?.dataset.temperature !== 'hot') return false;
    const now = await form.score(form.value);
    return JSON.stringify(now.hits) === JSON.stringify(last.hits);
  });
  for (let tries = 0; !(await settled()); ++tries) {
    assert.ok(tries < 300, 'the form never settled on what was typed');
    await page.waitForTimeout(100);
  }
  const detail = await page.evaluate(() => window.scoredEvents.at(-1));
  const value = await page.evaluate(() => document.getElementById('quick-form').value);
  assert.equal(value.job_title, 'VP of Sales');
  if (existsSync(cli)) {
    const expected = cliExplain(value);
    assert.equal(detail.score, expected.score);
    assert.equal(detail.temperature, expected.temperature);
    assert.deepEqual(detail.hits.map((h) => [h.rule, h.points]), expected.hits.map((h) => [h.rule, h.points]));
  } else {
    t.diagnostic('the native CLI is not built: not compared');
  }
  // The whole-list element on the same page scores a list with the team model, in the same worker.
  await page.click('#list-scorer >> #sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached', timeout: 60000 });
  assert.match(await page.textContent('#list-scorer >> #file-info'), /10,000 leads/);
  // Setting the model property re-scores the list.
  const hotBefore = Number(await page.getAttribute('#list-scorer', 'data-hot'));
  await page.evaluate(() => {
    const scorer = document.getElementById('list-scorer');
    const model = structuredClone(scorer.model);
    model.segments.hot = 95;
    scorer.model = model;
  });
  await page.waitForFunction((before) => Number(document.getElementById('list-scorer').dataset.hot) < before, hotBefore);
  // score(lead) answers without touching the form.
  const student = await page.evaluate(() => document.getElementById('quick-form').score({ job_title: 'Student' }));
  assert.equal(student.disqualified.rule, 'student');
  assert.equal(await badge(), 'hot');
  await page.screenshot({ path: path.join(shots, 'portal.png'), fullPage: true });
});

test('when the scorer cannot load, the documented fallbacks say so instead of an empty box', async (t) => {
  // The widget's script from another origin, which this portal's policy refuses: its fallback text stays.
  writeFileSync(path.join(work, 'portal', 'fallback.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portal</title><link rel="icon" href="data:,">' +
    `<script type="module" src="${scorer.origin}/widget.mjs"></script></head>` +
    '<body><main><h1>Portal</h1><lead-score-form id="form">The lead scorer is loading. If this stays, its files could not be loaded from this page.</lead-score-form></main></body></html>\n');
  const blocked = [/Content Security Policy|CORS|Failed to load resource/];
  const page = await openPage(t, `${portal.origin}/fallback.html`, [portal.origin, scorer.origin], { allowedErrors: blocked });
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => customElements.get('lead-score-form')), undefined);
  assert.ok(await page.isVisible('text=The lead scorer is loading. If this stays'));

  // A frame that never answers (here: its page cannot be fetched) gives way to a few words.
  const example = await openPage(t, 'about:blank', [scorer.origin], { allowedErrors: blocked });
  await example.route('**/embed.html*', (route) => route.abort());
  await example.goto(`${scorer.origin}/examples/intranet.html`);
  await example.waitForSelector('.frame-fallback', { timeout: 15000 });
  assert.match(await example.textContent('.frame-fallback'), /^The lead scorer could not be shown here/);
  assert.equal(await example.locator('#scorer-frame').count(), 0);
});

test('the iframe protocol answers allowed origins and ignores every other', async (t) => {
  const page = await openPage(t, `${portal.origin}/host.html`, [portal.origin, scorer.origin]);
  const ask = (allow) => page.evaluate(async ({ scorerOrigin, allow }) => {
    const frame = document.getElementById('scorer-frame');
    await new Promise((resolve) => {
      frame.addEventListener('load', resolve, { once: true });
      frame.src = `${scorerOrigin}/embed.html?allow=${encodeURIComponent(allow)}`;
    });
    // Wait for the frame's widget to be ready to listen.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 3000);
      window.addEventListener('message', function listen(event) {
        if (event.origin !== scorerOrigin || event.data?.id !== 77) return;
        clearTimeout(timer);
        window.removeEventListener('message', listen);
        resolve(event.data);
      });
      frame.contentWindow.postMessage({ type: 'leadscore:score', id: 77, lead: { job_title: 'CEO', demo_requested: 'yes' } }, scorerOrigin);
    });
  }, { scorerOrigin: scorer.origin, allow });

  const answered = await ask(portal.origin);
  assert.equal(answered?.type, 'leadscore:result');
  assert.ok(['cold', 'warm', 'hot'].includes(answered.result.temperature));

  const ignored = await ask('https://intranet.example');
  assert.equal(ignored, null);
  const frame = page.frames().find((f) => f.url().startsWith(`${scorer.origin}/embed.html`));
  assert.equal(await frame.getAttribute('body', 'data-rejected'), '1');
});

test('the demo: a 10,000-lead sample, its hottest leads and what would make warm ones hot', async (t) => {
  const page = await openPage(t, `${scorer.origin}/`, [scorer.origin]);
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  await page.click('#present');
  await page.waitForSelector('lead-presentation[data-rendered="1"]');
  assert.equal(await page.locator('.hottest li').count(), 10);
  assert.ok(await page.locator('.nearly li').count() > 0);
  assert.match(await page.textContent('.nearly'), /hot with: /);
  assert.equal(await page.isVisible('lead-table'), false);
  await page.screenshot({ path: path.join(shots, 'demo.png'), fullPage: true });
  // Present and the printed report: tests/browser/present.test.mjs.
});

test('the offline build opens from disk and scores a list and a workbook with no request at all', async (t) => {
  const file = path.join(site, 'leadscore-offline.html');
  // Within its budget, and the size the docs state is the size it is.
  const megabytes = statSync(file).size / 1e6;
  assert.ok(megabytes <= 2.5, `the offline file is ${megabytes.toFixed(2)} MB (budget 2.5)`);
  const stated = readFileSync(path.join(root, 'docs/embedding.md'), 'utf8').match(/inlined \(about ([\d.]+) MB\)/);
  assert.ok(stated && Math.abs(Number(stated[1]) - megabytes) <= 0.1, `docs/embedding.md says ${stated?.[1]} MB, the file is ${megabytes.toFixed(2)} MB`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`file://${file}`);
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .hits');
  // A workbook too: inflated in the bundled worker.
  await page.setInputFiles('#csv', generate('workbook_evil_entry_names', path.join(work, 'offline')));
  await page.waitForSelector('lead-scorer[data-rows="2"]', { state: 'attached' });
  assert.deepEqual(requests.filter((u) => u !== `file://${file}` && !u.startsWith('blob:null/')), []);
  assert.deepEqual(errors, []);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /connect-src 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  await page.screenshot({ path: path.join(shots, 'offline.png') });
});
