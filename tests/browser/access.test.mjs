// Accessibility: axe-core over every view a user meets, and the whole flow with the keyboard alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, cli, shots, work, servedSite, openPage as open, axeViolations, seriousOnes, AXE_ERRORS } from './support.mjs';

const served = servedSite();
const SAMPLE = path.join(root, 'samples/b2b-leads.csv');

/** Whatever is focused, through the open shadow roots: "tag#id.class[role]". */
const focused = (page) => page.evaluate(() => {
  let element = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  if (!element) return '';
  return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}` +
    `${element.getAttribute('role') ? `[${element.getAttribute('role')}]` : ''}${element.getAttribute('aria-rowindex') ? `@${element.getAttribute('aria-rowindex')}` : ''}`;
});

/** Presses `key` until `done(focused)` holds, at most `most` times; returns how many presses. */
async function pressUntil(page, key, done, most = 40) {
  for (let presses = 1; presses <= most; ++presses) {
    await page.keyboard.press(key);
    if (done(await focused(page))) return presses;
  }
  assert.fail(`${key} ${most} times never reached it (at ${await focused(page)})`);
}

test('axe finds nothing serious on the landing page, the results with every panel open, Present, the portal example and embed.html', async (t) => {
  const page = await served.openPage(t, { allowedErrors: AXE_ERRORS });
  const found = {};
  found.landing = seriousOnes(await axeViolations(page));

  // A list with outcomes, so the learning panel is there too, learned from and open.
  const lines = ['Email,First Name,Last Name,Job Title,Company,Plan,Visits,Converted'];
  for (let i = 0; i < 400; ++i) {
    const won = i % 3 === 0;
    lines.push(`p${i}@corp${i % 40}.com,Ann,Lee${i},${won ? 'VP Sales' : 'Analyst'},Corp ${i % 40},${won ? 'Pro' : 'Free'},${(i * 7) % 30},${won ? 1 : 0}`);
  }
  const file = path.join(work, 'access-outcomes.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-rows="400"]', { state: 'attached' });
  await page.evaluate(() => {
    for (const details of document.querySelector('lead-scorer').shadowRoot.querySelectorAll('details')) details.open = true;
  });
  await page.click('lead-learn #learn');
  await page.waitForSelector('lead-learn #use-learned');
  await page.click('.rows .tr >> nth=0');
  await page.waitForSelector('lead-detail .who');
  await page.evaluate(() => {
    for (const details of document.querySelector('lead-scorer').shadowRoot.querySelectorAll('details')) details.open = true;
  });
  found.results = seriousOnes(await axeViolations(page));

  await page.click('#present');
  await page.waitForSelector('lead-presentation h2');
  found.present = seriousOnes(await axeViolations(page));

  const portal = await open(served.browser, t, `${served.origin}/examples/intranet.html`, [served.origin], { allowedErrors: AXE_ERRORS });
  await portal.waitForFunction(() => document.getElementById('team-form')?.result);
  found.portal = seriousOnes(await axeViolations(portal));

  const embed = await open(served.browser, t, `${served.origin}/embed.html`, [served.origin], { allowedErrors: AXE_ERRORS });
  await embed.waitForSelector('lead-score-form[data-ready]', { state: 'attached' });
  const embedAll = await axeViolations(embed);
  found.embed = seriousOnes(embedAll);
  // Not serious, but a page of its own: a main landmark and a heading.
  assert.deepEqual(embedAll.filter((v) => ['landmark-one-main', 'page-has-heading-one', 'region'].includes(v.id)), []);

  assert.deepEqual(found, { landing: [], results: [], present: [], portal: [], embed: [] });
});

test('keyboard only: choose a file, hear the counts, browse leads, open and leave a detail, export', async (t) => {
  const page = await served.openPage(t);
  // Choose a file: Tab to the button, Enter opens the file chooser.
  await pressUntil(page, 'Tab', (f) => f === 'button#choose');
  const choosing = page.waitForEvent('filechooser');
  await page.evaluate(() => 0);  // the chooser is intercepted once the listener has reached the page
  await page.keyboard.press('Enter');
  await (await choosing).setFiles(SAMPLE);
  await page.waitForSelector('lead-scorer[data-rows="500"]', { state: 'attached' });

  // The focus is on the results, and the counts are announced.
  assert.equal(await focused(page), 'h2#results-title');
  const counts = await page.evaluate(() => ['hot', 'warm', 'cold'].map((t) =>
    document.querySelector('lead-scorer').shadowRoot.querySelector(`.card-count[data-temperature="${t}"]`).textContent));
  assert.equal(await page.getAttribute('#announce', 'role'), 'status');
  assert.equal(await page.textContent('#announce'), `Scored 500 leads: ${counts[0]} hot, ${counts[1]} warm, ${counts[2]} cold.`);

  // The column headers are one tab stop: Tab reaches the sort button, then the table.
  const tabs = await pressUntil(page, 'Tab', (f) => f.startsWith('div.viewport'));
  assert.ok(tabs < 20, `${tabs} tab stops from the results to the leads`);
  // Browse with the arrow keys: the focus stays on the leads, the detail follows.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.match(await focused(page), /^div\.tr\.\w+\.selected\[row\]@4$/);
  const third = await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.querySelector('.rows .selected').dataset.row);
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-detail .who'));
  // Leads not drawn yet are reached too: End goes to the last of the 500.
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.getAttribute('aria-rowindex') === '501');
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.getAttribute('aria-rowindex') === '2');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((row) => document.querySelector('lead-scorer').shadowRoot.querySelector('.rows .selected')?.dataset.row === row, third);
  // Enter opens the lead's detail, Esc goes back to the lead.
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.closest('lead-detail'));
  assert.equal(await focused(page), 'h3');
  await page.keyboard.press('Escape');
  assert.match(await focused(page), /@4$/);
  await page.screenshot({ path: path.join(shots, 'keyboard.png') });

  // Back to the export button and download.
  await pressUntil(page, 'Shift+Tab', (f) => f === 'button#export-csv.primary');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const exported = readFileSync(await download.path());
  assert.match(exported.toString('utf8', 0, 2000), /^[^\n]*,lead_score,lead_fit,lead_engagement,lead_temperature,/);
  if (existsSync(cli)) {
    const run = spawnSync(cli, ['score', SAMPLE, '-q', '--as-of', new Date().toISOString().slice(0, 10)]);
    assert.equal(run.status, 0, run.stderr?.toString());
    assert.ok(exported.equals(run.stdout), 'the download is what the CLI writes');
  }
});
