// An Excel workbook dropped on the page: read in the worker (the browser's DecompressionStream
// inflates it), the same leads and export as the CLI, a report's title and totals left out and
// said, a picker for its sheets that the keyboard and a screen reader can use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root, cli, shots, work, servedSite, axeViolations, seriousOnes, AXE_ERRORS } from './support.mjs';
import { crc32, zipEntries } from '../../web/zip.mjs';

const served = servedSite();
const AS_OF = new Date().toISOString().slice(0, 10);

// A workbook as Excel writes one, deflated: a hidden first sheet, then a Salesforce-style report
// (title, filters, header, leads, a grand total, the footer), then a plain list of two leads.
function reportWorkbook() {
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const cell = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const number = (ref, value) => `<c r="${ref}"><v>${value}</v></c>`;
  const leads = [
    ['Ann', 'ann@acme.com', 'VP Sales', 250, 'Yes'],
    ['Bob', 'bob@gmail.com', 'Student', 3, 'No'],
    ['Cleo', 'cleo@initech.com', 'Chief Marketing Officer', 5000, 'Yes'],
    ['Dan', 'dan@globex.com', 'Marketing Manager', 120, 'No'],
  ];
  const report = [
    `<row r="1">${cell('A1', 'Open leads (Q4)')}</row>`,
    `<row r="2">${cell('A2', 'Filtered By:')}${cell('B2', 'Lead Status equals Open')}</row>`,
    `<row r="4">${['First Name', 'Email', 'Title', 'Employees', 'Demo Requested'].map((h, i) => cell(`${'ABCDE'[i]}4`, h)).join('')}</row>`,
    ...leads.map((lead, i) => `<row r="${5 + i}">${cell(`A${5 + i}`, lead[0])}${cell(`B${5 + i}`, lead[1])}${cell(`C${5 + i}`, lead[2])}`
      + `${number(`D${5 + i}`, lead[3])}${cell(`E${5 + i}`, lead[4])}</row>`),
    `<row r="10">${cell('A10', 'Grand Totals (4 records)')}${number('D10', 5373)}</row>`,
    `<row r="12">${cell('A12', 'Confidential Information - Do Not Distribute')}</row>`,
  ].join('');
  const plain = `<row r="1">${cell('A1', 'Email')}${cell('B1', 'Job Title')}</row>`
    + `<row r="2">${cell('A2', 'eve@hooli.com')}${cell('B2', 'CEO')}</row><row r="3">${cell('A3', 'fay@x.io')}${cell('B3', 'Intern')}</row>`;
  const parts = {
    '[Content_Types].xml': '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    'xl/workbook.xml': '<workbook><sheets><sheet name="Notes" sheetId="1" state="hidden" r:id="r1"/>'
      + '<sheet name="Q4 report" sheetId="2" r:id="r2"/><sheet name="Other list" sheetId="3" r:id="r3"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<Relationships>'
      + [1, 2, 3].map((n) => `<Relationship Id="r${n}" Type="${REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`).join('')
      + '</Relationships>',
    'xl/worksheets/sheet1.xml': `<worksheet><sheetData><row r="1">${cell('A1', 'not the list')}</row></sheetData></worksheet>`,
    'xl/worksheets/sheet2.xml': `<worksheet><dimension ref="A1:E12"/><sheetData>${report}</sheetData></worksheet>`,
    'xl/worksheets/sheet3.xml': `<worksheet><dimension ref="A1:B3"/><sheetData>${plain}</sheetData></worksheet>`,
  };
  return zipEntries(Object.entries(parts).map(([file, xml]) => {
    const data = new TextEncoder().encode(xml);
    return { path: file, data: deflateRawSync(data), crc: crc32(data), size: data.length, method: 8 };
  }));
}

async function drop(page, bytes, name) {
  await page.evaluate(() => delete document.querySelector('lead-scorer').dataset.rows);
  await page.evaluate(async ([data, fileName]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], fileName));
    document.querySelector('lead-scorer').shadowRoot.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [[...bytes], name]);
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached', timeout: 60000 });
}

async function exportedBytes(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  return readFileSync(await download.path());
}

function cliScore(file, extra = []) {
  const out = path.join(work, 'workbook-cli.csv');
  const run = spawnSync(cli, ['score', file, '-o', out, '-q', '--as-of', AS_OF, ...extra]);
  assert.equal(run.status, 0, run.stderr?.toString());
  return readFileSync(out);
}

test('a dropped workbook: its report read from the header down, the rows left out said, its sheets one choice away', async (t) => {
  mkdirSync(work, { recursive: true });
  const file = path.join(work, 'report.xlsx');
  const bytes = reportWorkbook();
  writeFileSync(file, bytes);
  const page = await served.openPage(t, { allowedErrors: AXE_ERRORS });
  await drop(page, bytes, 'Q4 report.xlsx');
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '4');
  assert.match(await page.textContent('#file-info'), /Q4 report\.xlsx · sheet “Q4 report” · 4 leads/);
  assert.equal(await page.textContent('#workbook-note'),
    'Sheet "Q4 report" (one of 3 worksheets). The header is on row 4: the 2 rows above it (a report\'s title and filters) '
    + 'were left out. 2 rows of totals or a report\'s footer were left out.');
  if (existsSync(cli)) assert.ok((await exportedBytes(page)).equals(cliScore(file)), 'the export differs from the CLI\'s');

  // The sheets, with their rows; the hidden one says so. Choosing one reads the file again.
  await page.waitForSelector('#sheet-choice:not([hidden])');
  const options = await page.$$eval('#sheet option', (all) => all.map((o) => o.textContent));
  assert.deepEqual(options, ['Notes (hidden)', 'Q4 report (12 rows)', 'Other list (3 rows)']);
  assert.equal(await page.inputValue('#sheet'), '2');
  assert.deepEqual(seriousOnes(await axeViolations(page)), [], 'axe on the results of a workbook');
  await page.evaluate(() => delete document.querySelector('lead-scorer').dataset.rows);
  await page.focus('#sheet');  // in the tab order, labelled "Sheet"
  assert.equal(await page.evaluate(() => document.querySelector('lead-scorer').shadowRoot.activeElement?.id), 'sheet');
  await page.selectOption('#sheet', '3');
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached' });
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '2');
  assert.match(await page.textContent('#file-info'), /sheet “Other list” · 2 leads/);
  assert.equal(await page.isVisible('#workbook-note'), false, 'nothing was left out of the plain list');
  assert.equal(await page.inputValue('#sheet'), '3');
  if (existsSync(cli)) assert.ok((await exportedBytes(page)).equals(cliScore(file, ['--sheet', 'Other list'])));
  await page.screenshot({ path: path.join(shots, 'workbook.png') });

  // A spreadsheet in a format the scorer does not read says how to save it.
  await page.evaluate(async () => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ...new Array(600).fill(0)])], 'old.xls'));
    document.querySelector('lead-scorer').shadowRoot.getElementById('dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  });
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /old Excel workbook \(\.xls\).*save it as Excel Workbook \(\.xlsx\) or CSV/);
});

test('a workbook LibreOffice writes from the sample scores on the page as the CLI scores it', async (t) => {
  if (spawnSync('soffice', ['--version']).status !== 0) return t.skip('LibreOffice is not installed: the test command installs it');
  if (!existsSync(cli)) return t.skip(`the native CLI is not built at ${cli}`);
  const dir = path.join(work, 'libreoffice');
  const run = spawnSync('soffice', [`-env:UserInstallation=file://${path.join(work, 'lo-profile')}`, '--headless',
    '--infilter=CSV:44,34,76,1', '--convert-to', 'xlsx', '--outdir', dir, path.join(root, 'samples/b2b-leads.csv')], { timeout: 120000 });
  assert.equal(run.status, 0, run.stderr?.toString());
  const file = path.join(dir, 'b2b-leads.xlsx');
  const page = await served.openPage(t);
  await page.setInputFiles('#csv', file);
  await page.waitForSelector('lead-scorer[data-rows]', { state: 'attached', timeout: 60000 });
  assert.equal(await page.getAttribute('lead-scorer', 'data-rows'), '500');
  assert.ok((await exportedBytes(page)).equals(cliScore(file)), 'the export differs from the CLI\'s');
  assert.equal(await page.isVisible('#sheet-choice'), false, 'one sheet: no picker');
});
