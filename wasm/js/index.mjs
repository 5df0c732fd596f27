// leadscore: score lead lists privately, in a browser, a Web Worker or Node 20.
// The public API over the WebAssembly core. Every error is a LeadScorerError with a stable `code`.
import createLeadScoreModule from './leadscore-core.mjs';
import { LeadScorerError, unwrap } from './errors.mjs';
import { exportInParts, exportPart } from './parts.mjs';
import { asBytes, blobReader, feedPieces, isSliceable, piecesOf, wholeOf } from './sources.mjs';
import { readWorkbook, workbookOf, workbookSheets } from './workbook.mjs';

export { LeadScorerError };

const DEFAULT_CHUNK_BYTES = 4 << 20;
// warmUp(): a list this long, fed this much at a time between turns for other work.
const WARM_UP_ROWS = 5000;
const WARM_UP_PIECE_BYTES = 64 << 10;

function modelText(model) {
  if (model === undefined || model === null) return '';
  return typeof model === 'string' ? model : JSON.stringify(model);
}

/** modelSql's and modelDbt's options as the module reads them (JSON). */
function sqlOptions({ dialect = 'postgres', table = 'leads', keys, columns, asOf, types }) {
  return JSON.stringify({ dialect, table, ...(keys ? { keys } : {}), ...(columns ? { columns } : {}),
    ...(asOf ? { asOf } : {}), ...(types ? { types } : {}) });
}

function listOptions({ asOf, delimiter, mapping, expectedBytes, workbookText }) {
  const options = {};
  if (workbookText) options.workbookText = true;
  if (expectedBytes !== undefined) options.expectedBytes = expectedBytes;
  if (asOf !== undefined) options.asOf = asOf;
  if (delimiter !== undefined) options.delimiter = delimiter;
  if (mapping !== undefined) options.mapping = mapping;
  return options;
}

/**
 * Loads the WebAssembly module. In the browser it finds leadscore-core.wasm next to this file; in
 * Node pass `{ wasmBinary: fs.readFileSync(url) }`. `{ wasmModule }` reuses a module another
 * scorer compiled (scorer.wasmModule, which can be posted to a worker): nothing is compiled again.
 */
export async function createScorer(options = {}) {
  const compiled = options.wasmModule ?? await compileModule(options);
  let failed;
  const failure = new Promise((resolve, reject) => { failed = reject; });
  const module = await Promise.race([
    createLeadScoreModule({
      ...(options.locateFile ? { locateFile: options.locateFile } : {}),
      instantiateWasm(imports, receive) {
        WebAssembly.instantiate(compiled, imports).then((instance) => receive(instance, compiled), failed);
        return {};
      },
    }),
    failure,
  ]);
  return new Scorer(module, compiled);
}

async function compileModule({ wasmBinary, locateFile }) {
  if (wasmBinary) return WebAssembly.compile(wasmBinary);
  const url = locateFile ? locateFile('leadscore-core.wasm', '') : new URL('leadscore-core.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
  } catch {
    // A server that does not say application/wasm: compiled from its bytes instead.
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new LeadScorerError({ code: 'io.error', message: `could not load ${url}: ${response.status}` });
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

export class Scorer {
  #module;
  #compiled;

  constructor(module, compiled) {
    this.#module = module;
    this.#compiled = compiled;
  }

  /** The compiled WebAssembly.Module: createScorer({wasmModule}) in another worker reuses it. */
  get wasmModule() {
    return this.#compiled;
  }

  /** The core's version, e.g. "0.1.0". */
  get version() {
    return this.#module.version();
  }

  /** The built-in B2B model (a plain object, the JSON format of docs/model.md). */
  defaultModel() {
    return JSON.parse(this.#module.default_model());
  }

  /** The canonical lead fields: [{name, label, group, kind}]. */
  fields() {
    return unwrap(this.#module.fields());
  }

  /** Every problem in a model (object or JSON text), each {code, message, jsonPath|line/column}; [] when valid. */
  checkModel(model) {
    return unwrap(this.#module.check_model(modelText(model)));
  }

  /**
   * The model as one SQL SELECT that scores a warehouse table exactly as this scorer scores a list
   * (docs/warehouse.md). Options: dialect (postgres, duckdb, sqlite, bigquery, snowflake, spark, trino),
   * table ("leads"), keys (columns returned with the scores), columns ({field: column|null}, or a
   * list summary's `mapping`), asOf, types ({column: "number"|"date"|"timestamp"|"boolean"|"text"}:
   * typed columns are read as what they are).
   */
  modelSql(model, options = {}) {
    return unwrap(this.#module.model_sql(modelText(model), sqlOptions(options)));
  }

  /**
   * The same query as a dbt project (dbt-core 1.7 or later) reading the table as a dbt source:
   * [{path, text}] (dbt_project.yml, models/lead_scores.sql, models/sources.yml, models/schema.yml,
   * README.md). Options as modelSql's.
   */
  modelDbt(model, options = {}) {
    return unwrap(this.#module.model_dbt(modelText(model), sqlOptions(options)));
  }

  /** Scores one lead given as {field or header: value}; returns its explanation. */
  scoreLead(lead, { model, asOf } = {}) {
    return unwrap(this.#module.score_lead(modelText(model), JSON.stringify(lead ?? {}), asOf ?? ''));
  }

  /**
   * Learns a points model from a list with outcomes (File, Blob, stream or bytes, read whole):
   * {model, report} with the cross-validated AUC, conversion by temperature, the columns used and
   * the after-contact ones left out. Options: outcome (a header; default: found by name), keep
   * (headers to use even if flagged), folds (5), seed (1), balance, hotShare (0.2), warmShare (0.3),
   * asOf; onProgress({step, steps}) after each fold and the final fit.
   */
  async learnModel(source, { onProgress, sheet, ...options } = {}) {
    const { bytes, workbookText } = await this.#listBytes(source, sheet);
    if (workbookText) options.workbookText = true;
    const progress = onProgress ? (step, steps) => onProgress({ step, steps }) : null;
    return unwrap(this.#module.learn(bytes, JSON.stringify(options), progress));
  }

  /**
   * Back-tests a model (default: the built-in one) on a list with outcomes: {outcome: {column,
   * kind}, report: {leads, unknown, converted, rate, by_temperature, lift_hot_over_cold, auc, hot,
   * deciles, rules}}. Options: model, outcome, asOf, delimiter, mapping, and compare (a second
   * model: adds compare: {report, changes: {changed, transitions, first}}, the leads that change
   * temperature from the first model to the second).
   */
  async backtest(source, { model, compare, sheet, ...options } = {}) {
    const { bytes, workbookText } = await this.#listBytes(source, sheet);
    if (workbookText) options.workbookText = true;
    return unwrap(this.#module.backtest(bytes, modelText(model), compare === undefined ? '' : modelText(compare), JSON.stringify(options)));
  }

  // A whole list's bytes: a workbook's sheet as CSV text.
  async #listBytes(source, sheet) {
    const { workbook, source: rest } = await workbookOf(source);
    if (!workbook) return { bytes: await wholeOf(rest) };
    const { text } = await readWorkbook(this.#module, workbook, { sheet });
    return { bytes: new Uint8Array(await text.arrayBuffer()), workbookText: true };
  }

  /**
   * The sheets of an Excel workbook (File, Blob, bytes or stream) in tab order: [{name, visible,
   * worksheet (false for a chart), rows (what the sheet says it spans, or null)}]; null when the
   * source is no workbook.
   */
  async workbookSheets(source) {
    const { workbook } = await workbookOf(source);
    return workbook ? workbookSheets(this.#module, workbook) : null;
  }

  /**
   * Starts a list to push chunks into (see LeadList). Options: model, asOf, delimiter, mapping,
   * readSource: (offset, length) -> Uint8Array (or null) reading the pushed bytes again, so the list
   * keeps only where each row is instead of a copy of the file, and expectedBytes: the whole
   * input's size when known (a list too large to cache its rows' keys for re-scoring then learns
   * so from its first rows instead of filling the cache's memory first).
   */
  openList({ model, readSource, ...options } = {}) {
    return this.#open((handle) => handle.start(modelText(model), JSON.stringify(listOptions(options)), readSource ?? null));
  }

  #open(start) {
    const handle = new this.#module.List();
    try {
      unwrap(start(handle));
    } catch (error) {
      handle.delete();
      throw error;
    }
    return new LeadList(handle);
  }

  /**
   * Reads a whole list (File, Blob, ReadableStream, async iterable or bytes) chunk by chunk: a CSV,
   * or an Excel workbook (.xlsx, .xlsm; `sheet`: a name or 1-based number, default the first
   * visible worksheet), whose sheet is read as CSV text first (kept as a Blob the list reads its
   * rows from, as from a CSV file). `onProgress({rows, bytes})` is called after each chunk (for
   * a workbook, `bytes` is a share of the workbook's size, and `textBytes` of `textSize` says how
   * far into the sheet's text the rows are); `signal` (AbortSignal) cancels;
   * `onStart(list, text)` gets the list before the first chunk (query() pages the rows scored so
   * far) and the source its rows are read from. Returns the finished LeadList; call close() when
   * done with it. In a worker, a File or Blob is read again when rows are needed rather than
   * copied (FileReaderSync).
   */
  async scoreFile(source, { onProgress, onStart, signal, chunkBytes = DEFAULT_CHUNK_BYTES, sheet, ...options } = {}) {
    const { workbook, source: rest } = await workbookOf(source);
    let text = rest;
    let facts = null;
    let progress = onProgress;
    if (workbook) {
      // Reading the workbook's parts is most of the work: the first part of the progress.
      const share = 0.6;
      const size = workbook.size;
      ({ text, workbook: facts } = await readWorkbook(this.#module, workbook, {
        sheet, signal, onBytes: (bytes) => onProgress?.({ rows: 0, bytes: Math.round(share * bytes) }),
      }));
      options.workbookText = true;
      progress = onProgress && (({ rows, bytes }) => onProgress({
        rows, bytes: Math.round(size * (share + (1 - share) * (bytes / text.size))), textBytes: bytes, textSize: text.size,
      }));
    }
    const expectedBytes = isSliceable(text) ? text.size : undefined;
    const list = this.openList({ readSource: blobReader(text), expectedBytes, ...options });
    if (facts) list.workbook = facts;
    onStart?.(list, text);
    try {
      await feedPieces(list, piecesOf(text, chunkBytes), { signal, onProgress: progress });
      list.finish();
      return list;
    } catch (error) {
      list.close();
      throw error;
    }
  }

  /**
   * Writes one part of a list's scored CSV for exportCsvInParts's `parallel.exportPart`, in this
   * worker: `request` is what exportPart was given ({plan, part, options}), `source` the list's
   * file (File, Blob or {size, slice}). `onPart` gets the CSV's Uint8Array parts as they are
   * written; `onProgress({rows})` after each piece of the file.
   */
  async exportPart(source, request, { onPart, onProgress, signal, chunkBytes = DEFAULT_CHUNK_BYTES } = {}) {
    return exportPart(this.#module, source, request, { onPart, onProgress, signal, chunkBytes });
  }

  /**
   * Reads a small generated list, a piece at a time with a turn for other work (a message, a
   * cancel) after each, so that the engine has compiled the reading code for speed before a real
   * file comes: the first large file then reads faster. It reads in an instance of its
   * own (the compiled code is the module's, shared), so this scorer's memory stays as it was. The
   * page's worker does this once it has loaded. Stops when `signal` aborts; resolves to whether it
   * read the whole list.
   */
  async warmUp({ signal } = {}) {
    if (signal?.aborted) return false;
    const scratch = await createScorer({ wasmModule: this.#compiled });
    const list = scratch.openList();
    try {
      for (const part of scratch.sampleCsv({ rows: WARM_UP_ROWS })) {
        for (let at = 0; at < part.length; at += WARM_UP_PIECE_BYTES) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (signal?.aborted) return false;
          list.push(part.subarray(at, at + WARM_UP_PIECE_BYTES));
        }
      }
      list.finish();
      list.query({ sort: 'score', descending: true, limit: 10 });
      return true;
    } finally {
      list.close();
    }
  }

  /**
   * A synthetic B2B lead list for demos: `rows` leads (default 10,000) from `seed`, with activity
   * dated before `asOf` (default today); `truth` adds the hidden temperature as a last column.
   * Returns Uint8Array parts of the CSV (new Blob(parts) or scoreFile(new Blob(parts))).
   */
  sampleCsv({ rows = 10000, seed = 1, asOf, truth = false } = {}) {
    const parts = [];
    const options = { rows, seed, truth };
    if (asOf !== undefined) options.asOf = asOf;
    unwrap(this.#module.sample_csv(JSON.stringify(options), (part) => parts.push(part)));
    return parts;
  }

  /** Bytes of the WebAssembly heap in use. */
  heapInUse() {
    return this.#module.heap_in_use();
  }

  /**
   * {baseBytes, bytesPerLead}: what a list aims to hold at most in this build, a base plus a figure
   * per lead (a page can check a file's leads against the memory it has before reading them all).
   */
  memoryBudget() {
    return unwrap(this.#module.memory_budget());
  }

  /** {wasmBytes: the module's memory (it only grows, so this is its peak), heapInUse}. */
  memory() {
    return { wasmBytes: this.#module.HEAP8.length, heapInUse: this.#module.heap_in_use() };
  }
}

/** A list being scored: push() chunks, finish(), then query, explain, rescore, remap, exportCsv. */
export class LeadList {
  #handle;
  /** A workbook's facts (which sheet, its header row, the rows left out), or null for a CSV. */
  workbook = null;

  constructor(handle) {
    this.#handle = handle;
  }

  #call(method, ...args) {
    if (!this.#handle) throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'this list is closed' });
    return unwrap(this.#handle[method](...args));
  }

  /** Feeds the next chunk of the file; returns {rows, bytes} read so far. */
  push(chunk) {
    return this.#call('feed', asBytes(chunk));
  }

  /** Ends the input; returns the summary. */
  finish() {
    return this.#withWorkbook(this.#call('finish'));
  }

  /**
   * Counts and shares per temperature, histogram, sources, grid, issues, file format, mapping,
   * model; and `workbook` when the list came from one.
   */
  summary() {
    return this.#withWorkbook(this.#call('summary'));
  }

  #withWorkbook(summary) {
    if (this.workbook) summary.workbook = this.workbook;
    return summary;
  }

  /**
   * A page of leads: {sort: 'row'|'score'|'fit'|'engagement'|'temperature'|'column', column,
   * descending, temperatures: ['hot', ...], search, offset, limit} -> {matches, rows: [{row, line,
   * score, fit, engagement, temperature, disqualified, cells}]}.
   */
  query(query = {}) {
    return this.#call('query', JSON.stringify(query));
  }

  /** The full explanation of one lead (row index from query()). */
  explain(row) {
    return this.#call('explain', row);
  }

  /** Scores every lead again with another model; returns {changed, transitions, summary}. */
  rescore(model) {
    const result = this.#call('rescore', modelText(model));
    this.#withWorkbook(result.summary);
    return result;
  }

  /** Corrects the column mapping ({field: header}, "" removes) and re-scores; returns {changed, transitions, summary}. */
  remap(mapping) {
    const result = this.#call('remap', JSON.stringify(mapping ?? {}));
    this.#withWorkbook(result.summary);
    return result;
  }

  /**
   * The scored CSV as Uint8Array parts for `new Blob(parts, {type: 'text/csv'})`;
   * `onProgress({rows, of})` now and then while the rows are written. With `onPart(part)`, each
   * part (about 1 MiB, its own copy) goes there as it is written and none is kept: the export is
   * about 2.5 times the list, which a caller can write out or put into Blobs as it goes.
   */
  exportCsv({ neutralizeFormulas = false, byteOrderMark = false, onProgress, onPart, fromRow, toRow } = {}) {
    const parts = [];
    const progress = onProgress ? (rows, of) => onProgress({ rows, of }) : null;
    const options = JSON.stringify({ neutralizeFormulas, byteOrderMark, fromRow, toRow });
    this.#call('export_csv', options, onPart ?? ((part) => parts.push(part)), progress);
    return onPart ? undefined : parts;
  }

  /**
   * exportCsv, written in up to `parallel.parts` parts at once by other workers (parts.mjs,
   * exportInParts); a promise, once every part has gone to `onPart` in file order.
   */
  async exportCsvInParts(options = {}) {
    return exportInParts(this, options);
  }

  /** How other workers can each write a part of the export, from each of `cuts` (file offsets) on, or null. */
  exportPlan(cuts) {
    return this.#call('export_plan', JSON.stringify(cuts));
  }

  /** {listBytes}: memory held for the rows and scores. */
  memory() {
    return this.#call('memory');
  }

  /** Frees the list's memory. The list cannot be used afterwards. */
  close() {
    if (this.#handle) {
      this.#handle.delete();
      this.#handle = null;
    }
  }
}
