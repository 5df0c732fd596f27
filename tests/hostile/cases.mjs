// The hostile corpus (cases.json) for the CLI, Node and browser suites: each case's input file and
// what it must give.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generate } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
/** Where generated inputs are written (outside the source tree). */
export const workDir = path.join(root, 'build/hostile-work');
/** The list the model cases are scored against. */
export const modelCaseList = path.join(root, 'tests/fixtures/tricky_leads.csv');
export const AS_OF = '2026-11-20';

/** [{name, file, kind: 'list' | 'model', why, expect}] (and the work folder made, for outputs) */
export function hostileCases() {
  mkdirSync(workDir, { recursive: true });
  const { cases } = JSON.parse(readFileSync(path.join(here, 'cases.json'), 'utf8'));
  return cases.map((c) => {
    if (c.model) return { name: c.model, file: path.join(here, c.model), kind: 'model', why: c.why, expect: c.expect };
    if (c.generate) return { name: c.generate, file: () => generate(c.generate, workDir), kind: 'list', why: c.why, expect: c.expect };
    return { name: c.input, file: path.join(here, c.input), kind: 'list', why: c.why, expect: c.expect };
  });
}

/** The case's input path (generated on first use). */
export const fileOf = (c) => (typeof c.file === 'function' ? c.file() : c.file);

/**
 * Rows of RFC 4180 text: a reader of our own exports, independent of the core's. Quoted cells may
 * hold delimiters, quotes ("") and line breaks.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        ++i;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') ++i;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
