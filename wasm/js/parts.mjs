// A list read, or its scored CSV written, in parts at once by other workers (threads, Web
// Workers): the list does its own part and each other part is done elsewhere, then joined in file
// order. The result is always what the list alone would give; a part that fails is done here.
import { LeadScorerError, checkAborted, unwrap } from './errors.mjs';
import { feedPieces, isSliceable, piecesOf, wholeOf } from './sources.mjs';

// Reading a list in parts pays for a worker's start only past this much per part.
const PART_MIN_BYTES = 16 << 20;
// How far the list reads before it looks for its plan for parts, step by step.
const PLAN_READS = [256 << 10, 1 << 20, 4 << 20];
// Where a part starts is guessed from this much of the file after its cut.
const GUESS_WINDOW_BYTES = 64 << 10;
// exportInParts writes its own rows this many at a time, with a turn for other work between.
const EXPORT_SLICE_ROWS = 1 << 15;
// The list's own part is this much larger than an even share: a part read elsewhere also waits
// for its worker, then is packed, moved and joined, while the list's own needs none of that.
const OWN_PART_BONUS = 0.1;

/** How many parts `source` is read in, with `parallel` ({parts}) asking for at most that many. */
export function partsFor(source, parallel) {
  return isSliceable(source) ? Math.min(parallel?.parts ?? 1, Math.floor(source.size / PART_MIN_BYTES)) : 1;
}

/** The list's progress after joining a part read elsewhere, or null when it cannot (it is then read here). */
function joinedProgress(list, part) {
  try {
    return list.joinPart(part.packed);
  } catch {
    return null;
  }
}

/**
 * The list reads the file's start; once its mapping is known the rest is cut where records
 * probably start and each part is handed to readPart. Then, from cut to cut, the list joins the
 * part that starts where it ends between two records, or reads on itself.
 */
export async function readInParts(module, list, source, count, { readPart, options, chunkBytes, signal, onProgress }) {
  const range = (from, to) => piecesOf(source.slice(from, to), chunkBytes);
  const elsewhere = new Map();  // part index -> its latest {rows, bytes}
  let own = { rows: 0, bytes: 0 };
  const report = (progress) => {
    own = progress;
    let { rows, bytes } = own;
    for (const p of elsewhere.values()) {
      rows += p.rows;
      bytes += p.bytes;
    }
    onProgress?.({ rows, bytes });
  };
  // The mapping (and with it the plan) is decided after 100 rows: read that much, not more,
  // before the helpers get their parts.
  let first = 0;
  let plan = null;
  for (const upTo of PLAN_READS) {
    const to = Math.min(source.size, upTo);
    await feedPieces(list, range(first, to), { signal, onProgress: report });
    first = to;
    plan = list.partPlan();
    if (plan || first === source.size) break;
  }
  const cuts = plan ? await cutsAfter(module, source, plan, count, first) : [];
  const stops = cuts.map(() => new AbortController());
  const parts = cuts.map((start, i) => {
    const stop = stops[i];
    const abort = () => stop.abort();
    signal?.addEventListener('abort', abort, { once: true });
    const request = { plan, start, cuts: cuts.slice(i + 1), options: { model: options.model, mapping: options.mapping } };
    return Promise.resolve()
      .then(() => readPart(request, {
        signal: stop.signal,
        onProgress: (p) => {
          if (stop.signal.aborted) return;  // a part no longer needed
          elsewhere.set(i, p);
          report(own);
        },
      }))
      .catch(() => null)  // read here instead
      .finally(() => signal?.removeEventListener('abort', abort));
  });
  try {
    const ends = [...cuts, source.size];
    await feedPieces(list, range(first, ends[0]), { signal, onProgress: report });
    for (let i = 0; i < cuts.length;) {
      const part = list.atRecordBoundary() ? await parts[i] : null;
      checkAborted(signal);
      elsewhere.delete(i);
      const next = part ? ends.indexOf(part.end, i + 1) : -1;
      const progress = next > i ? joinedProgress(list, part) : null;
      if (progress) {
        report(progress);
        for (let skipped = i + 1; skipped < next; ++skipped) {
          stops[skipped].abort();
          elsewhere.delete(skipped);
        }
        i = next;
      } else {
        stops[i].abort();  // read here
        await feedPieces(list, range(cuts[i], ends[i + 1]), { signal, onProgress: report });
        i += 1;
      }
    }
  } finally {
    for (const stop of stops) stop.abort();
  }
}

/**
 * Up to count - 1 cuts after `after`, each where a record probably starts near its share: the
 * first part's (OWN_PART_BONUS over an even one), then even ones.
 */
async function cutsAfter(module, source, plan, count, after) {
  const cuts = [];
  const first = (1 + OWN_PART_BONUS) / count;
  for (let k = 1; k < count; ++k) {
    const nominal = Math.floor(source.size * (first + ((1 - first) * (k - 1)) / (count - 1)));
    const window = await wholeOf(source.slice(nominal, nominal + GUESS_WINDOW_BYTES));
    const offset = unwrap(module.guess_record_start(window, plan.delimiter, plan.fields));
    const cut = nominal + offset;
    if (offset >= 0 && cut > (cuts.at(-1) ?? after) && cut < source.size) cuts.push(cut);
  }
  return cuts;
}

/**
 * Reads one part of a list for scoreFile's `parallel.readPart`, in this worker: `request` is
 * what readPart was given ({plan, start, cuts, options}), `source` the same File or Blob (or
 * {size, slice}, as for scoreFile).
 * Returns {packed: Uint8Array (transferable), end: where the part ended}.
 */
export async function readPart(openPart, source, { plan, start, cuts, options = {} }, { signal, onProgress, chunkBytes }) {
  const prefix = await wholeOf(source.slice(0, plan.prefixBytes));
  const part = openPart(plan, prefix, start, options);
  try {
    const report = onProgress && (({ rows, bytes }) => onProgress({ rows, bytes: bytes - plan.prefixBytes }));
    let end = start;
    // Up to the first cut it ends cleanly at (the next part starts there), else to the end.
    for (const cut of [...cuts, source.size]) {
      await feedPieces(part, piecesOf(source.slice(end, cut), chunkBytes), { signal, onProgress: report });
      end = cut;
      if (part.atRecordBoundary()) break;
    }
    return { packed: part.packPart(), end };
  } finally {
    part.close();
  }
}

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
