// A list's scored CSV written in parts at once by other workers (threads, Web Workers): the list
// writes its own first rows while each other part is written elsewhere, then all are handed on in
// file order. The CSV is always what the list alone writes; a part that fails is written here.
import { LeadScorerError, checkAborted, unwrap } from './errors.mjs';
import { feedPieces, piecesOf } from './sources.mjs';

// An export is written in parts only past this much of the file per part (a worker's start).
const PART_MIN_BYTES = 16 << 20;
// exportInParts writes its own rows this many at a time, with a turn for other work between.
const EXPORT_SLICE_ROWS = 1 << 15;

/**
 * Writes one part of a list's scored CSV for exportCsvInParts's `parallel.exportPart`, in this
 * worker: `request` is what exportPart was given ({plan, part, options}), `source` the list's
 * file (File, Blob or {size, slice}). `onPart` gets the CSV's Uint8Array parts as they are
 * written; `onProgress({rows})` after each piece of the file.
 */
export async function exportPart(module, source, { plan, part, options = {} }, { onPart, onProgress, signal, chunkBytes }) {
  const range = plan.parts[part];
  if (!range) throw new LeadScorerError({ code: 'usage.invalid_argument', message: `no part ${part} in the plan` });
  const writer = new module.CsvPart();
  try {
    unwrap(writer.start(JSON.stringify(plan), JSON.stringify(options), onPart));
    const { start, end } = range;
    const pushing = { push: (piece) => unwrap(writer.feed(piece)) };
    await feedPieces(pushing, piecesOf(source.slice(start, end), chunkBytes), { signal, onProgress });
    const written = unwrap(writer.finish());  // not inside onProgress?.(): it must run without one
    onProgress?.(written);
  } finally {
    writer.delete();
  }
}

/**
 * exportCsv, written in up to `parallel.parts` parts at once: the list writes its first rows
 * while `parallel.exportPart(request, {signal, onProgress})` has each other part written
 * elsewhere (another worker calling scorer.exportPart(file, request)) and resolves to it, in
 * any form (a Blob in the browser). onPart gets, in file order, each Uint8Array written here
 * and each part written elsewhere as exportPart resolved it. A part that could not be written
 * elsewhere is written here. All of it is written here when the list is small, or was not read
 * as UTF-8 from a file it can read again (scoreFile of a File, Blob or {size, slice}).
 */
export async function exportInParts(list, { parallel, onPart, onProgress, signal, ...options }) {
  const count = parallel?.parts ?? 1;
  const bytes = count > 1 ? list.summary().file.bytes : 0;
  // Even shares: a part written elsewhere costs about what the list's own does (no packing, no join).
  const cuts = [];
  for (let k = 1; k < count && bytes / count >= PART_MIN_BYTES; ++k) cuts.push(Math.floor((bytes * k) / count));
  const plan = cuts.length > 0 ? list.exportPlan(cuts) : null;
  if (!plan) {
    list.exportCsv({ ...options, onPart, onProgress });
    return;
  }
  const rows = plan.parts.map(() => 0);  // being written elsewhere, part by part
  let done = 0;     // rows of the parts handed to onPart
  let ownNow = 0;   // rows of the part being written here
  const report = onProgress && (() => onProgress({ rows: rows.reduce((a, b) => a + b, done + ownNow), of: plan.rows }));
  // Rows written here go a slice at a time with a turn for other work between: the workers
  // writing the other parts start (a worker's workers start on its thread) and a cancel is heard.
  const here = async (fromRow, toRow) => {
    for (let from = fromRow; from < toRow; from += EXPORT_SLICE_ROWS) {
      const to = Math.min(toRow, from + EXPORT_SLICE_ROWS);
      const progress = report && (({ rows: written }) => {
        ownNow = from - fromRow + written;
        report();
      });
      list.exportCsv({ ...options, fromRow: from, toRow: to, onPart, onProgress: progress });
      ownNow = to - fromRow;
      report?.();
      await new Promise((resolve) => setTimeout(resolve, 0));
      checkAborted(signal);
    }
    ownNow = 0;
    done += toRow - fromRow;
  };
  const stops = plan.parts.map(() => new AbortController());
  const abort = () => stops.forEach((stop) => stop.abort());
  signal?.addEventListener('abort', abort, { once: true });
  const request = (part) => ({ plan, part, options: { neutralizeFormulas: options.neutralizeFormulas } });
  // All asked for before the list writes its own rows, so they are written at once.
  const elsewhere = plan.parts.map((_, i) => {
    const progress = ({ rows: written }) => {
      rows[i] = written;
      report?.();
    };
    try {
      return Promise.resolve(parallel.exportPart(request(i), { signal: stops[i].signal, onProgress: progress })).catch(() => null);
    } catch {
      return Promise.resolve(null);
    }
  });
  try {
    await here(0, plan.parts[0].row);
    for (let i = 0; i < plan.parts.length; ++i) {
      const written = await elsewhere[i];
      checkAborted(signal);
      const toRow = plan.parts[i + 1]?.row ?? plan.rows;
      rows[i] = 0;
      if (written === null) {
        await here(plan.parts[i].row, toRow);  // written here instead
      } else {
        onPart(written);
        done += toRow - plan.parts[i].row;
      }
      report?.();
    }
  } finally {
    abort();
    signal?.removeEventListener('abort', abort);
  }
}
