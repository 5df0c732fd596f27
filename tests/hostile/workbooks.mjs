// Hostile workbooks, written here (same bytes every time): each attacks the reader from inside an
// otherwise valid workbook of two leads.
import { deflateRawSync, constants } from 'node:zlib';
import { crc32, zipEntries } from '../../web/zip.mjs';

const FIXED_DATE = new Date(2026, 0, 1);
const MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const SHEET_PART = 'xl/worksheets/sheet1.xml';
const sheet = (rows, before = '') => `<worksheet>${before}<sheetData>${rows}</sheetData></worksheet>`;
const LEADS = '<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
  + '<row r="2"><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
  + '<row r="3"><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row>';

function deflated(path, content) {
  const data = new TextEncoder().encode(content);
  return { path, data: deflateRawSync(data), crc: crc32(data), size: data.length, method: 8 };
}

/** A workbook's entries, `parts` ({path: xml}) replacing or adding to the standard ones. */
function parts(overrides = {}) {
  const all = {
    '[Content_Types].xml': `<Types><Override PartName="/xl/workbook.xml" ContentType="${MAIN}"/></Types>`,
    'xl/workbook.xml': '<workbook><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>`
      + `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    'xl/sharedStrings.xml': '<sst><si><t>Email</t></si><si><t>Job Title</t></si><si><t>ann@acme.com</t></si>'
      + '<si><t>VP Sales</t></si><si><t>bob@beta.io</t></si><si><t>Intern</t></si></sst>',
    [SHEET_PART]: sheet(LEADS),
    ...overrides,
  };
  return Object.entries(all).map(([path, xml]) => deflated(path, xml));
}

const workbook = (overrides, extra = []) => zipEntries([...parts(overrides), ...extra], FIXED_DATE);

// A worksheet that inflates to 4 GiB: one compressed MiB of whole rows, flushed so that it
// stands alone, 4,096 times over, then an empty final block. Its directory says 1 MiB.
function zipBomb() {
  const row = `<row><c t="inlineStr"><is><t>${'x'.repeat(4000)}</t></is></c></row>`;
  const mebibyte = Buffer.from(row.repeat(Math.floor((1 << 20) / row.length)));
  const flushed = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const data = Buffer.concat([deflateRawSync(Buffer.from('<worksheet><sheetData>'), flushed),
    ...Array(4096).fill(deflateRawSync(mebibyte, flushed)), deflateRawSync(Buffer.alloc(0))]);
  const bomb = { path: SHEET_PART, data, crc: 0, size: 1 << 20, method: 8 };
  return zipEntries([...parts().filter((entry) => entry.path !== SHEET_PART), bomb], FIXED_DATE);
}

const nested = (depth) => '<a>'.repeat(depth) + '</a>'.repeat(depth);

/** name: [file extension, bytes] */
export const hostileWorkbooks = {
  workbook_zip_bomb: () => ['xlsx', zipBomb()],
  workbook_absurd_dimensions: () => ['xlsx', workbook({
    [SHEET_PART]: sheet(`${LEADS}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`, '<dimension ref="A1:XFD1048576"/>'),
  })],
  workbook_shared_string_out_of_range: () => ['xlsx', workbook({
    [SHEET_PART]: sheet(`${LEADS}<row r="4"><c t="s"><v>4294967296</v></c></row>`),
  })],
  workbook_deep_xml: () => ['xlsx', workbook({ [SHEET_PART]: sheet(`<row r="1"><c><v>${nested(100000)}</v></c></row>`) })],
  workbook_entity_expansion: () => ['xlsx', workbook({
    'xl/sharedStrings.xml': '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
      + Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i ? 'b'.repeat(i) : 'a'};`.repeat(10)}">`).join('')
      + ']><sst><si><t>&bbbbbbbbb;</t></si></sst>',
  })],
  workbook_path_escape: () => ['xlsx', workbook({
    'xl/_rels/workbook.xml.rels': `<Relationships><Relationship Id="rId1" Type="${REL}/worksheet" Target="../../../../etc/passwd"/></Relationships>`,
  })],
  // Entries named to climb out of a folder or from the root: never written anywhere, never read.
  workbook_evil_entry_names: () => ['xlsx', workbook({}, [deflated('../../evil.xml', '<x/>'), deflated('/etc/cron.d/x', 'x')])],
  old_excel_xls: () => ['xls', Buffer.concat([Buffer.from('D0CF11E0A1B11AE1', 'hex'), Buffer.alloc(4096)])],
  opendocument_ods: () => ['ods', zipEntries([deflated('mimetype', 'application/vnd.oasis.opendocument.spreadsheet'),
    deflated('content.xml', '<office:document-content/>')], FIXED_DATE)],
};
