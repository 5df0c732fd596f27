// The model editor: every rule's points, missing-value points, caps, bands, words and decay; rules
// the list cannot use marked; saved models with versions, kept across a reload; Undo 20 deep.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { root, shots, work, servedSite } from './support.mjs';

const served = servedSite();

const modelJson = async (page) => JSON.parse(await page.inputValue('lead-model textarea.json'));
const edit = async (page, label, value) => {
  const input = page.locator(`lead-model [aria-label="${label}"]`);
  await input.fill(String(value));
  await input.press('Tab');
};
const rule = (model, axis, id) => model[axis].rules.find((r) => r.id === id);

test('the model editor edits what it says and marks the rules the list cannot use', async (t) => {
  const page = await served.openPage(t);
  const file = path.join(work, 'editor-list.csv');
  writeFileSync(file, 'Email,Job Title,Company Name,Number of Sessions\nann@acme.com,,Acme,3\nbob@corp.com,Founder,Corp,12\n');
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-rows="2"]', { state: 'attached' });
  await page.click('#model-panel > summary');
  // A rule on a field the list lacks says so.
  assert.match(await page.textContent('lead-model tr[data-field="industry"]'), /not in this list: does not count/);
  assert.doesNotMatch(await page.textContent('lead-model tr[data-field="sessions"]'), /not in this list/);

  // "No job title": its points for a title and its points for none, each editable.
  assert.equal(await page.inputValue('lead-model [aria-label="Points for No job title"]'), '0');
  assert.equal(await page.inputValue('lead-model [aria-label="Points for No job title when the lead has no value"]'), '-5');
  await edit(page, 'Points for No job title when the lead has no value', -20);
  await page.waitForFunction(() => /changed temperature|leads? changed/.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  assert.equal(rule(await modelJson(page), 'fit', 'no_title').missing_points, -20);
  // The focus stays where the user is typing (the form is not drawn again).
  assert.equal(await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.getAttribute('aria-label')),
    'Points for Decision-maker or budget holder');

  // Words, caps, bands and decay.
  await page.click('lead-model tr:has-text("Decision-maker title") details.words > summary');
  const words = page.locator('lead-model [aria-label="Words for Decision-maker title, one a line"]');
  await words.fill(`${await words.inputValue()}\nfounder`);
  await words.press('Tab');
  await page.waitForFunction(() => /"founder"/.test(document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model textarea.json').value));
  await edit(page, 'At most, for Website visits', 4);
  await page.click('lead-model tr:has-text("Company size") details.bands > summary');
  await edit(page, 'Company size, Enterprise (1,000+ employees): points', 40);
  await edit(page, 'Engagement: points halve every (days)', 30);
  await page.waitForFunction(() => /"half_life_days": 30/.test(document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model textarea.json').value));
  const model = await modelJson(page);
  assert.ok(rule(model, 'fit', 'decision_maker_title').contains_any.includes('founder'));
  assert.equal(rule(model, 'engagement', 'visits').cap, 4);
  assert.equal(rule(model, 'fit', 'company_size').bands[0].points, 40);
  assert.equal(model.engagement.decay.half_life_days, 30);
  // No longer the preset it started from.
  assert.equal(await page.textContent('lead-model select[name="model-choice"] option:checked'), 'Default B2B model (not saved)');
  await page.screenshot({ path: path.join(shots, 'model-editor.png'), fullPage: true });
});

test('saved models: dated versions, unsaved changes shown, kept across a reload, restored, renamed, deleted', async (t) => {
  const page = await served.openPage(t);
  await page.setInputFiles('#csv', path.join(root, 'samples/b2b-leads.csv'));
  await page.waitForSelector('lead-scorer[data-rows="500"]', { state: 'attached' });
  await page.click('#model-panel > summary');
  await page.fill('lead-model input[name="model-name"]', 'EMEA team');
  await page.press('lead-model input[name="model-name"]', 'Tab');
  await page.waitForFunction(() => /"name": "EMEA team"/.test(document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model textarea.json').value));
  await page.click('lead-model #save-model');
  assert.match(await page.textContent('lead-model .model-status'), /^Saved /);
  await page.fill('lead-model input[name="hot"]', '70');
  await page.press('lead-model input[name="hot"]', 'Tab');
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model .model-status').textContent === 'Unsaved changes');
  await page.click('lead-model #save-model');
  assert.match(await page.textContent('lead-model details.versions summary'), /Versions of this model \(2\)/);

  // A reload brings back the model being edited, and the chooser names it.
  await page.reload();
  await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
  await page.setInputFiles('#csv', path.join(root, 'samples/b2b-leads.csv'));
  await page.waitForSelector('lead-scorer[data-rows="500"]', { state: 'attached' });
  await page.click('#model-panel > summary');
  assert.equal(await page.inputValue('lead-model input[name="hot"]'), '70');
  assert.equal(await page.textContent('lead-model select[name="model-choice"] option:checked'), 'EMEA team');
  // The first version restored: an unsaved change until saved again.
  await page.click('lead-model details.versions > summary');
  await page.click('lead-model details.versions li:nth-child(2) button.restore');
  await page.waitForFunction(() => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model input[name="hot"]').value === '60');
  assert.equal(await page.textContent('lead-model .model-status'), 'Unsaved changes');
  // Renamed: saved under the new name.
  await page.fill('lead-model input[name="model-name"]', 'EMEA team (2027)');
  await page.press('lead-model input[name="model-name"]', 'Tab');
  await page.waitForFunction(() => /"name": "EMEA team \(2027\)"/.test(document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model textarea.json').value));
  await page.click('lead-model #save-model');
  assert.equal(await page.textContent('lead-model select[name="model-choice"] option:checked'), 'EMEA team (2027)');
  // A preset, then the saved model again, then deleted (two clicks).
  await page.selectOption('lead-model select[name="model-choice"]', 'fit');
  await page.waitForSelector('lead-model #delete-model', { state: 'detached' });  // the preset is drawn
  const saved = await page.evaluate(() => [...document.querySelector('lead-scorer').shadowRoot.querySelectorAll('lead-model select[name="model-choice"] option')]
    .find((o) => o.textContent === 'EMEA team (2027)').value);
  await page.selectOption('lead-model select[name="model-choice"]', saved);
  // Drawn again once the saved model is in force (the preset had the same threshold).
  await page.waitForFunction((id) => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model select[name="model-choice"]').value === id &&
    document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model #delete-model'), saved);
  await page.click('lead-model #delete-model');
  assert.equal(await page.textContent('lead-model #delete-model'), 'Delete it and its versions?');
  await page.click('lead-model #delete-model');
  // Gone from the saved models; the model stays in force, now not saved.
  assert.equal(await page.locator('lead-model select[name="model-choice"] optgroup[label="Saved in this browser"] option').count(), 0);
  assert.equal(await page.textContent('lead-model select[name="model-choice"] option:checked'), 'EMEA team (2027) (not saved)');
});

test('Undo goes back through the last 20 changes, and no further', async (t) => {
  const page = await served.openPage(t);
  await page.setInputFiles('#csv', path.join(root, 'samples/b2b-leads.csv'));
  await page.waitForSelector('lead-scorer[data-rows="500"]', { state: 'attached' });
  await page.click('#model-panel > summary');
  for (let hot = 61; hot <= 82; ++hot) {
    await page.fill('lead-model input[name="hot"]', String(hot));
    await page.press('lead-model input[name="hot"]', 'Tab');
    await page.waitForFunction((h) => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model textarea.json').value.includes(`"hot": ${h}`), hot);
    await page.waitForFunction(() => !document.querySelector('lead-scorer').shadowRoot.getElementById('undo').hidden);
  }
  for (let undone = 1; undone <= 20; ++undone) {
    await page.click('#undo');
    await page.waitForFunction((h) => document.querySelector('lead-scorer').shadowRoot.querySelector('lead-model input[name="hot"]').value === String(h), 82 - undone);
  }
  assert.equal(await page.inputValue('lead-model input[name="hot"]'), '62');
  await page.waitForFunction(() => /^Undone: /.test(document.querySelector('lead-scorer').shadowRoot.getElementById('rescore-note').textContent));
  await page.waitForSelector('#undo', { state: 'hidden' });  // the 21st change back is not kept
  await page.locator('#results-title').focus();
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(300);
  assert.equal(await page.inputValue('lead-model input[name="hot"]'), '62');
});
