// What a user sees once a list is scored: the results on screen, the charts, a lead's explanation,
// Present and the printed report. Screenshots in build/screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { shots, work, servedSite } from './support.mjs';

const served = servedSite();

async function sample(page) {
  await page.click('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
}

async function upload(page, name, text) {
  const file = path.join(work, name);
  writeFileSync(file, text);
  await page.evaluate(() => delete document.querySelector('lead-scorer').dataset.rows);
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
}

/** Whether `selector`'s box lies within the window (800 px high). */
async function onScreen(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= 800;
}

const pdfPages = (pdf) => (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;

test('once a list is scored, the leads and what a change did are on screen', async (t) => {
  const page = await served.openPage(t);
  await sample(page);
  // The loading area is now a bar, and the first leads are in view without scrolling.
  assert.ok((await page.locator('#dropzone').boundingBox()).height < 80, 'the drop zone shrank to a bar');
  assert.equal(await page.textContent('#load-title'), 'Score another list');
  for (const n of [0, 1, 2]) assert.ok(await onScreen(page, `.rows .tr >> nth=${n}`), `lead ${n + 1} is in view`);
  // A change made far down the page is answered where the user is.
  await page.click('#model-panel > summary');
  await page.fill('lead-model input[name="hot"]', '80');
  await page.press('lead-model input[name="hot"]', 'Tab');
  await page.waitForSelector('#change-toast:not([hidden])');
  assert.match(await page.textContent('#rescore-note'), /^[\d,]+ leads changed temperature/);
  assert.ok(await onScreen(page, '#change-toast'), 'the change is said in view');
  assert.equal(await page.getAttribute('#change-toast', 'role'), 'status');
  await page.click('#toast-close');
  assert.ok(await page.isHidden('#change-toast'));
});

test('the charts say what they show', async (t) => {
  const page = await served.openPage(t);
  await sample(page);
  // The histogram's bars are split by temperature: leads held back from hot score 60 and more.
  const warmFrom60 = await page.evaluate(() => {
    const groups = [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('svg.histogram g')];
    return groups.slice(6).reduce((n, g) => n + g.querySelectorAll('rect.warm').length, 0);
  });
  assert.ok(warmFrom60 > 0, 'warm leads are drawn in the bars from 60');
  assert.equal(await page.locator('.chart .legend').count(), 2, 'the histogram and the sources have a legend');
  assert.match(await page.textContent('.grid-key'), /A: the best fit.*1: the most engaged/);
  assert.match(await page.getAttribute('svg.histogram', 'aria-label'), /Score 60–70: [\d,]+ leads \([\d,]+ hot, [\d,]+ warm/);

  // In the compact element the histogram keeps a sensible size.
  await page.evaluate(() => document.querySelector('lead-scorer').setAttribute('compact', ''));
  const compact = await page.locator('svg.histogram').boundingBox();
  assert.ok(compact.height <= 170, `the histogram is ${compact.height} px high`);

  // A list with no engagement columns: a dash, not 0.0, and no grid of meaningless grades.
  await upload(page, 'no-engagement.csv', 'Email,Job Title,Company\nann@acme.com,CEO,Acme\nbob@corp.com,Analyst,Corp\n');
  const engagement = await page.locator('.rows .tr >> nth=0').locator('.td >> nth=3').textContent();
  assert.equal(engagement, '–');
  assert.match(await page.textContent('lead-summary'), /Not drawn: the list has no engagement columns/);
});

test('a lead\'s explanation in plain words: who it is, what moved its score, the rest behind "Show all"', async (t) => {
  const page = await served.openPage(t);
  const activity = new Date(Date.now() - 91 * 86400000).toISOString().slice(0, 10);
  await upload(page, 'one-prospect.csv', `Prospect ID,Job Title,Demo Requested,Page Views,Last Activity Date,Employees\nP-7,VP Sales,yes,0,${activity},5000\n`);
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .who');
  // No name in the file: the lead is called by its ID, not by a line number.
  assert.equal(await page.textContent('lead-detail h3'), 'Lead P-7');
  assert.match(await page.textContent('lead-detail .who'), /VP Sales · ID P-7 · line 2/);
  const text = await page.textContent('lead-detail');
  assert.match(text, /Requested a demo.*14\.9 of 30\.0 points: last activity 3 months ago/s);
  assert.doesNotMatch(text, /decayed|×0\./);
  // The rules that moved the score are listed; the one giving 0 points only under "Show all".
  const moved = await page.locator('lead-detail > table.hits tbody tr').allTextContents();
  assert.equal(moved.length, 3);
  assert.ok(moved.every((row) => !/No job title/.test(row)), moved.join(' | '));
  assert.match(await page.textContent('lead-detail details.all-rules summary'), /Show all 4 rules/);
  assert.match(await page.textContent('lead-detail details.all-rules'), /No job title/);
});

test('Present: the pipeline for a prospect, full screen, Esc to leave, and its printed report on one page', async (t) => {
  const page = await served.openPage(t);
  await sample(page);
  await page.evaluate(() => window.scrollTo(0, 300));
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.getElementById('present').click());
  await page.waitForSelector('lead-presentation h2:focus');
  // The working controls are gone; what is left is for the prospect.
  for (const hidden of ['.exports', '#file-info', '#formula-note', 'lead-table', 'lead-summary']) {
    assert.ok(await page.isHidden(hidden), `${hidden} is hidden`);
  }
  assert.equal(await page.locator('.hottest li').count(), 10);
  const hottest = await page.locator('.hottest li').allTextContents();
  assert.ok(hottest.every((line) => !/decayed|\(\+/.test(line)), hottest.join('\n'));
  // Suggestions are steps worth taking: none of "+1 Page views".
  const nearly = await page.locator('.nearly li').allTextContents();
  assert.ok(nearly.length > 0);
  assert.ok(nearly.every((line) => /hot with: /.test(line) && !/\+[1-4] /.test(line)), nearly.join('\n'));
  await page.screenshot({ path: path.join(shots, 'present.png'), fullPage: true });

  await page.click('#fullscreen');
  await page.waitForFunction(() => document.fullscreenElement?.tagName === 'LEAD-SCORER');
  await page.keyboard.press('Escape');  // in full screen the browser takes the first Esc
  await page.evaluate(() => document.fullscreenElement && document.exitFullscreen());
  await page.locator('lead-presentation h2').focus();
  await page.keyboard.press('Escape');
  await page.waitForSelector('lead-table', { state: 'visible' });
  assert.equal(await page.getAttribute('#present', 'aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'back where the user was');

  // Printed from the list: the report (not the working page), on one A4 page.
  await page.waitForSelector('lead-presentation[data-rendered="1"]', { state: 'attached' });
  await page.emulateMedia({ media: 'print' });
  assert.ok(await page.isVisible('lead-presentation'), 'the report is printed');
  assert.ok(await page.isHidden('#formula-note'), 'no spreadsheet warning on paper');
  assert.ok(await page.isHidden('lead-table'));
  await page.screenshot({ path: path.join(shots, 'report-print.png'), fullPage: true });
  const fromList = await page.pdf({ format: 'A4', printBackground: true });
  assert.equal(pdfPages(fromList), 1, 'printed from the list: one page');
  writeFileSync(path.join(shots, 'report.pdf'), fromList);
  // And from Present.
  await page.emulateMedia({ media: 'screen' });
  await page.click('#present');
  await page.emulateMedia({ media: 'print' });
  assert.equal(pdfPages(await page.pdf({ format: 'A4', printBackground: true })), 1, 'printed from Present: one page');
});

test('at phone width: who each lead is, the detail where it was tapped, nothing wider than the screen', async (t) => {
  const context = await served.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'UTC' });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${served.origin}/`);
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  await page.tap('#sample');
  await page.waitForSelector('lead-scorer[data-rows="10000"]', { state: 'attached' });
  const width = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.equal(await width(), 390);
  // The table names its leads (from First Name and Last Name), in view beside the temperature.
  const first = page.locator('.rows .tr >> nth=0');
  const name = await first.locator('.td.lead-col').textContent();
  const cells = await first.evaluate((row) => row.textContent);
  assert.ok(name.length > 3 && cells.replace(name, '').includes(name.split(' ')[0]), `the lead is called “${name}”`);
  const box = await first.locator('.td.lead-col').boundingBox();
  assert.ok(box.x + box.width <= 390, 'the name is on screen');
  await page.screenshot({ path: path.join(shots, 'phone.png') });
  // Tapping a lead shows its detail, which is below the list at this width.
  await page.locator('.rows .tr >> nth=1').tap();
  await page.waitForSelector('lead-detail h3');
  const heading = await page.locator('lead-detail h3').boundingBox();
  assert.ok(heading.y >= 0 && heading.y < 844, 'the detail is in view');
  await page.screenshot({ path: path.join(shots, 'phone-detail.png') });
  // The model panel and Present fit the screen.
  await page.evaluate(() => { document.querySelector('lead-scorer').shadowRoot.getElementById('model-panel').open = true; });
  assert.equal(await width(), 390, 'the model panel fits');
  await page.tap('#present');
  await page.waitForSelector('lead-presentation h2:focus');
  assert.equal(await width(), 390, 'Present fits');
  const overflowing = await page.evaluate(() => [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('.big')]
    .filter((card) => card.scrollWidth > card.clientWidth).length);
  assert.equal(overflowing, 0, 'the big numbers fit their cards');
  await page.screenshot({ path: path.join(shots, 'phone-present.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('after a change: which leads moved and how, Undo, and a mapping that shows values and warns', async (t) => {
  const page = await served.openPage(t);
  await sample(page);
  const hot = async () => Number((await page.textContent('.card-count[data-temperature="hot"]')).replace(/,/g, ''));
  const hotBefore = await hot();
  await page.click('#model-panel > summary');
  await page.fill('lead-model input[name="hot"]', '80');
  await page.press('lead-model input[name="hot"]', 'Tab');
  await page.waitForSelector('#change-toast:not([hidden])');
  const said = await page.textContent('#rescore-note');
  const [, changed, moved] = said.match(/^([\d,]+) leads changed temperature \(([\d,]+) hot → warm\)\.$/) ?? [];
  assert.ok(changed && changed === moved, said);
  // "Show them": only the leads that moved, each with where it was.
  await page.click('#show-moved');
  await page.waitForFunction((n) => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-table .matches').textContent === `${n} leads`, changed);
  assert.equal(await page.textContent('lead-table .filter.moved'), `Moved (${changed})`);
  const first = page.locator('.rows .tr >> nth=0');
  assert.equal(await first.locator('.badge.was.hot').count(), 1);
  assert.equal(await first.locator('.badge.warm').count(), 1);
  // Undo puts the threshold and the counts back.
  await page.click('#undo');
  await page.waitForFunction(() => /^Undone: /.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.match(await page.textContent('#rescore-note'), new RegExp(`^Undone: ${changed} leads changed temperature \\(${changed} warm → hot\\)`));
  assert.equal(await hot(), hotBefore);
  assert.equal(await page.inputValue('lead-model input[name="hot"]'), '60');
  assert.ok(await page.isHidden('#undo'), 'nothing left to undo');

  // The mapping shows a few values of each column, and says when a field moves from one column to another.
  await page.click('#mapping-panel > summary');
  await page.waitForFunction(() => [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('lead-mapping td.samples')]
    .some((cell) => cell.textContent.includes('@')));
  await page.locator('lead-mapping select[aria-label="Lead field for column Company Name"]').selectOption('job_title');
  await page.waitForFunction(() => /no longer from/.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.match(await page.textContent('#rescore-note'), /^Job title now comes from “Company Name”, no longer from “Job Title”\. [\d,]+ leads changed temperature/);
  // Ctrl+Z undoes it too; then a second change, and "Reset to the mapping found".
  await page.locator('#results-title').focus();
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => /^Undone: /.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.equal(await page.inputValue('lead-mapping select[aria-label="Lead field for column Job Title"]'), 'job_title');
  await page.locator('lead-mapping select[aria-label="Lead field for column Job Title"]').selectOption('');
  await page.waitForSelector('lead-mapping #reset-mapping');
  await page.click('lead-mapping #reset-mapping');
  await page.waitForFunction(() => /^Back to the mapping found: /.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.equal(await page.inputValue('lead-mapping select[aria-label="Lead field for column Job Title"]'), 'job_title');
  assert.equal(await page.locator('lead-mapping #reset-mapping').count(), 0);
  await page.screenshot({ path: path.join(shots, 'moved.png'), fullPage: true });
});
