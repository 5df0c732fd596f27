// The hostile inputs too large to keep in the repository, made on demand (same bytes every time):
//   import { generate } from './generate.mjs'; const file = generate('columns_10k', dir);
import { existsSync, mkdirSync, openSync, writeSync, closeSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hostileWorkbooks } from './workbooks.mjs';

const HEADER = 'Email,First Name,Job Title,Number of Employees,Demo Requested\n';

/** Writes the parts `write` yields to `file`, a piece at a time (never the whole in one string). */
function writeFile(file, write) {
  const fd = openSync(file, 'w');
  try {
    write((text) => writeSync(fd, text));
  } finally {
    closeSync(fd);
  }
}

const makers = {
  // One broken quote near the start of a long list with no other quote to close it.
  broken_quote_1m_rows: (put) => {
    put(HEADER);
    put('"lead0@acme.com,Ann,CEO,250,Yes\n');
    let block = '';
    for (let i = 1; i < 1000000; ++i) {
      block += `lead${i}@corp${i % 997}.com,Bob,Manager,${i % 500},No\n`;
      if (block.length > 1 << 20) {
        put(block);
        block = '';
      }
    }
    put(block);
  },
  columns_10k: (put) => {
    const names = Array.from({ length: 10000 }, (_, i) => `Column ${i}`);
    put(`Email,${names.join(',')}\n`);
    for (let row = 0; row < 100; ++row) put(`lead${row}@acme.com,${names.map((_, i) => (i * row) % 97).join(',')}\n`);
  },
  field_20_mib: (put) => bigCell(put, '"', 'a', 20),
  line_8_mib_unquoted: (put) => bigCell(put, '', 'b', 8),
};

/** Two leads, the first's name a cell of `mebibytes` MiB of `letter`, within `quote` (or none). */
function bigCell(put, quote, letter, mebibytes) {
  put(HEADER);
  put(`ann@acme.com,${quote}`);
  const mib = letter.repeat(1 << 20);
  for (let i = 0; i < mebibytes; ++i) put(mib);
  put(`${quote},CEO,250,Yes\nbob@acme.com,Bob,CTO,50,No\n`);
}

export const generatedNames = [...Object.keys(makers), ...Object.keys(hostileWorkbooks)];

/** The path of generated input `name` in `dir` (made when missing). */
export function generate(name, dir) {
  mkdirSync(dir, { recursive: true });
  if (hostileWorkbooks[name]) {
    const [extension, bytes] = hostileWorkbooks[name]();
    const file = path.join(dir, `${name}.${extension}`);
    if (!existsSync(file)) writeFileSync(file, bytes);
    return file;
  }
  const make = makers[name];
  if (!make) throw new Error(`no generated input named ${name}`);
  const file = path.join(dir, `${name}.csv`);
  if (!existsSync(file)) {
    writeFile(`${file}.part`, make);  // an interrupted run leaves no half file under the real name
    renameSync(`${file}.part`, file);
  }
  return file;
}
