// The hostile corpus (tests/hostile/cases.json) through the page in Chromium: each list and model
// gives its outcome, nothing in a file runs, and markup from a file stays text. Also: the
// Content-Security-Policy is in force (an injected inline script and eval do not run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, shots, servedSite } from './support.mjs';
import { hostileCases, fileOf } from '../hostile/cases.mjs';

const site = servedSite();
const cases = hostileCases();
const count = (n) => n.toLocaleString('en-US');

/**
 * Elements that markup from a file would have made (in the page and in every shadow root), and
 * whether a payload set window.__pwned. The page's own markup has none of them.
 */
function dangerous(page) {
  return page.evaluate(() => {
    const selector = 'script:not([src]), img[src="x"], a[href^="javascript"], iframe, object, embed, [onerror], [onload], [onmouseover]';
    let found = 0;
    const visit = (root) => {
      found += root.querySelectorAll(selector).length;
      for (const el of root.querySelectorAll('*')) {
        // A title or aria-label holding the text is fine; a handler or a link to it is not.
        if ([...el.attributes].some((a) => /^on|^(href|src|srcdoc|action|formaction)$/.test(a.name) && a.value.includes('__pwned'))) ++found;
        if (el.shadowRoot) visit(el.shadowRoot);
      }
    };
    visit(document);
    return { found, pwned: window.__pwned !== undefined };
  });
}

/** Texts of the elements matching `selector` (shadow roots pierced). */
const textsOf = (page, selector) => page.locator(selector).allTextContents();

test('hostile lists in the page: each gives its outcome, nothing runs, markup stays text', async (t) => {
  const page = await site.openPage(t);
  for (const c of cases.filter((x) => x.kind === 'list')) {
    await t.test(c.name, async () => {
      const { expect } = c;
      await page.evaluate(() => {
        const scorer = document.querySelector('lead-scorer');
        delete scorer.dataset.rows;
        delete scorer.shadowRoot.getElementById('error').dataset.code;
      });
      await page.setInputFiles('#csv', fileOf(c));
      await page.waitForSelector(expect.error ? '#error[data-code]:not([hidden])' : 'lead-scorer[data-rows]', { state: 'attached', timeout: 120000 });
      if (expect.error) {
        assert.equal(await page.getAttribute('#error', 'data-code'), expect.error);
        assert.ok((await page.textContent('#error')).length > 20, 'the error says what to do');
      } else {
        assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), String(expect.rows));
        const issues = Object.values(expect.issues ?? {}).reduce((a, b) => a + b, 0);
        assert.equal(await page.isHidden('#issues-panel'), issues === 0, 'the row issues panel');
        if (issues > 0) {
          assert.match(await page.textContent('#issues-title'), new RegExp(`Row issues: ${count(issues)} `));
          const shown = await textsOf(page, '#issues li code');
          for (const code of Object.keys(expect.issues)) assert.ok(shown.includes(code), `${code} is listed`);
        }
        assert.equal(await page.isHidden('#formula-note'), !expect.formula_cells, 'the formula warning');
        if (expect.formula_cells) assert.match(await page.textContent('#formula-note'), new RegExp(`^${expect.formula_cells} cells? starts? with`));
        // Every cell and header shows exactly its text.
        const cells = await textsOf(page, '.rows .td');
        for (const [, header, text] of expect.cells ?? []) assert.ok(cells.includes(text), `${header}: ${JSON.stringify(text)} is shown as text`);
        // Every cell is isolated for bidirectional text: a right-to-left override stays in its cell.
        const isolation = await page.locator('.rows .td').evaluateAll((tds) => [...new Set(tds.map((td) => getComputedStyle(td).unicodeBidi))]);
        assert.deepEqual(isolation, expect.rows > 0 ? ['isolate'] : []);
        const headers = await textsOf(page, 'lead-mapping tbody th');
        for (const header of expect.headers ?? []) assert.ok(headers.includes(header), `header ${JSON.stringify(header)} is shown as text`);
      }
      assert.deepEqual(await dangerous(page), { found: 0, pwned: false }, 'nothing from the file became markup or ran');
    });
  }
  await page.screenshot({ path: path.join(shots, 'hostile-last.png'), fullPage: true });
});

test('hostile models in the page: refused with their problems, or shown as text', async (t) => {
  const page = await site.openPage(t);
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
  await page.click('#model-panel > summary');
  for (const c of cases.filter((x) => x.kind === 'model')) {
    await t.test(c.name, async () => {
      await page.evaluate(() => {
        const model = document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model');
        model.querySelector('#model-errors').replaceChildren();
        model.querySelector('input[name="model-name"]').value = '';
      });
      await page.setInputFiles('lead-model input[type="file"]', c.file);
      if (c.expect.model_error) {
        await page.waitForSelector('#model-errors li');
        assert.ok((await textsOf(page, '#model-errors li code')).includes(c.expect.model_error));
      } else {
        await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model input[name="model-name"]').value !== '');
        const { name } = JSON.parse(readFileSync(c.file, 'utf8'));
        assert.equal(await page.inputValue('lead-model input[name="model-name"]'), name);
        assert.equal(await page.locator('#model-errors li').count(), 0);
      }
      assert.deepEqual(await dangerous(page), { found: 0, pwned: false }, 'nothing from the model became markup or ran');
    });
  }
});

test('the Content-Security-Policy is in force: an injected inline script and eval do not run', async () => {
  // A context of its own: the policy's refusals are logged as console errors, on purpose here.
  const context = await site.browser.newContext();
  try {
    const page = await context.newPage();
    const refused = [];
    page.on('console', (message) => message.type() === 'error' && refused.push(message.text()));
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
    const outcome = await page.evaluate(async () => {
      const violations = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__inline = 1';
      document.body.append(script);
      const img = document.createElement('img');
      img.setAttribute('onerror', 'window.__handler = 1');
      img.src = 'data:,not-an-image';
      document.body.append(img);
      // Code from a string, as eval would run it (the test's own code is exempt from the policy,
      // a timer's string is not).
      setTimeout('window.__evaluated = 1', 0);  // eslint-disable-line no-implied-eval
      await new Promise((resolve) => setTimeout(resolve, 200));
      return { inline: window.__inline, handler: window.__handler, evaluated: window.__evaluated, violations };
    });
    assert.equal(outcome.inline, undefined, 'the inline script ran');
    assert.equal(outcome.handler, undefined, 'the inline event handler ran');
    assert.equal(outcome.evaluated, undefined, 'code from a string ran');
    assert.ok(outcome.violations.some((d) => d.startsWith('script-src')), `violations: ${outcome.violations}`);
    assert.ok(refused.some((m) => /Content Security Policy/.test(m)), 'Chromium reported the refusal');
  } finally {
    await context.close();
  }
});

test('the page recovers from a crashed scoring worker without a reload', async () => {
  // A context of its own: the crash is logged as an error, on purpose here.
  const context = await site.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
    await page.click('#sample');
    await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
    // A second scorer on the page, sharing the worker: it is told too.
    await page.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('lead-scorer'), { id: 'second' })));
    await page.waitForSelector('#second[data-ready="1"]', { state: 'attached' });
    const [worker] = page.workers();
    assert.ok(worker, 'the scoring worker runs');
    // An uncaught error inside the worker, as a defect or a dead WebAssembly instance would raise.
    await worker.evaluate(() => setTimeout(() => { throw new Error('simulated crash'); }, 0));
    await page.waitForSelector('#scorer >> #error[data-code="engine.restarted"]:not([hidden])');
    await page.waitForSelector('#second >> #error[data-code="engine.restarted"]:not([hidden])');
    assert.match(await page.textContent('#scorer >> #error'), /simulated crash.*restarted/);
    await page.evaluate(() => document.getElementById('second').remove());
    assert.equal(await page.getAttribute('#scorer', 'data-rows'), null);
    // The new worker scores the next list.
    await page.setInputFiles('#csv', fileOf(cases.find((c) => c.name === 'stray_quotes.csv')));
    await page.waitForSelector('lead-scorer[data-rows="2"]', { state: 'attached' });
    assert.equal(await page.isHidden('#error'), true);
    // Its buttons are wired once, not again for the new worker: one click, one download.
    const downloads = [];
    page.on('download', (d) => downloads.push(d));
    await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    await page.waitForTimeout(1500);
    assert.equal(downloads.length, 1);
  } finally {
    await context.close();
  }
});

test('a list too large for the memory the tab may use is refused after its first megabyte, with what to do', async (t) => {
  const page = await site.openPage(t);
  // 1,000,000 leads need about 182 MB (the scorer's memoryBudget: 150 MB and 32 bytes a lead); this page may use 170 MB.
  await page.evaluate(() => document.querySelector('lead-scorer').setAttribute('memory-limit', '170000000'));
  await page.setInputFiles('#csv', fileOf(cases.find((c) => c.name === 'broken_quote_1m_rows')));
  await page.waitForSelector('#error[data-code="file.too_large"]:not([hidden])');
  const message = await page.textContent('#error');
  // The count is estimated from the first megabyte's rows.
  assert.match(message, /This file \(42 MB\) holds about (9\d\d|1,0\d\d),\d{3} leads: scoring it needs about 1[78]\d MB of memory, more than this tab can use \(170 MB\)/);
  assert.match(message, /Split it into files of at most 625,000 leads/);
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), null);
  // Without the limit the same file is scored.
  await page.evaluate(() => document.querySelector('lead-scorer').removeAttribute('memory-limit'));
  await page.setInputFiles('#csv', path.join(root, 'tests/hostile/stray_quotes.csv'));
  await page.waitForSelector('lead-scorer[data-rows="2"]', { state: 'attached' });
});
