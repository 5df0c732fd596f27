// leadscore: score lead lists privately, in a browser, a Web Worker or Node 20.
// The public API over the WebAssembly core. Every error is a LeadScorerError with a stable `code`.
import createLeadScoreModule from './leadscore-core.mjs';

/** An error from the scorer: `code` is stable ("csv.not_text", "model.type_mismatch"...). */
export class LeadScorerError extends Error {
  constructor({ code, message, line, column, jsonPath } = {}) {
    super(message || code || 'leadscore error');
    this.name = 'LeadScorerError';
    this.code = code || 'internal';
    if (line !== undefined) this.line = line;
    if (column !== undefined) this.column = column;
    if (jsonPath !== undefined) this.jsonPath = jsonPath;
  }

  /** A plain object that survives postMessage. */
  toJSON() {
    const { name, code, message, line, column, jsonPath } = this;
    return { name, code, message, line, column, jsonPath };
  }
}

const YIELD_MS = 50;
const DEFAULT_CHUNK_BYTES = 4 << 20;
// Reading a list in parts pays for a worker's start only past this much per part.
const PART_MIN_BYTES = 16 << 20;
// How far the list reads before it looks for its plan for parts, step by step.
const PLAN_READS = [256 << 10, 1 << 20, 4 << 20];
// Where a part starts is guessed from this much of the file after its cut.
const GUESS_WINDOW_BYTES = 64 << 10;
// exportCsvInParts writes its own rows this many at a time, with a turn for other work between.
const EXPORT_SLICE_ROWS = 1 << 15;
// The list's own part is this much larger than an even share: a part read elsewhere also waits
// for its worker, then is packed, moved and joined, while the list's own needs none of that.
const OWN_PART_BONUS = 0.1;
// warmUp(): a list this long, fed this much at a time between turns for other work.
const WARM_UP_ROWS = 5000;
const WARM_UP_PIECE_BYTES = 64 << 10;

function unwrap(text) {
  const result = JSON.parse(text);
  if (!result.ok) throw new LeadScorerError(result.error);
  return result.value;
}

function modelText(model) {
  if (model === undefined || model === null) return '';
  return typeof model === 'string' ? model : JSON.stringify(model);
}

function asBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'a chunk is a Uint8Array, an ArrayBuffer or a string' });
}

function checkAborted(signal) {
  if (signal?.aborted) throw new LeadScorerError({ code: 'aborted', message: 'Scoring was cancelled.' });
}

/**
 * Pushes `pieces` into `list`, calling onProgress after each. A file read from memory never waits:
 * other work (a worker's queries, a cancel) gets its turn every few dozen milliseconds.
 */
async function feedPieces(list, pieces, { signal, onProgress }) {
  let yielded = performance.now();
  for await (const piece of pieces) {
    checkAborted(signal);
    const progress = list.push(piece);  // not inside onProgress?.(): it must run without one
    onProgress?.(progress);
    if (performance.now() - yielded > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    }
  }
  checkAborted(signal);
}

/** The list's progress after joining a part read elsewhere, or null when it cannot (it is then read here). */
function joinedProgress(list, part) {
  try {
    return list.joinPart(part.packed);
  } catch {
    return null;
  }
}

function listOptions({ asOf, delimiter, mapping, expectedBytes }) {
  const options = {};
  if (expectedBytes !== undefined) options.expectedBytes = expectedBytes;
  if (asOf !== undefined) options.asOf = asOf;
  if (delimiter !== undefined) options.delimiter = delimiter;
  if (mapping !== undefined) options.mapping = mapping;
  return options;
}

/** A File, a Blob, or anything else with a size and slice(from, to) giving a Blob, a stream or bytes. */
function isSliceable(source) {
  return typeof source?.size === 'number' && typeof source.slice === 'function' && !ArrayBuffer.isView(source);
}

let collectorHint = null;  // see blobReader

/** Synchronous reads of a Blob/File where the platform has them (workers), else undefined. */
function blobReader(source) {
  if (typeof Blob === 'undefined' || !(source instanceof Blob) || typeof FileReaderSync === 'undefined') return undefined;
  const reader = new FileReaderSync();
  return (offset, length) => {
    try {
      // A read's buffer is the browser's memory, which the collector does not count: garbage
      // from a sort or a search (a 2 GB file read in 16 MiB pieces) reached 4.7 GB before it ran.
      // A buffer as large that it does count (never written, so it takes no memory) makes it
      // collect as often as it should: 350 MB at most over ten reads of a 300 MB file.
      collectorHint = new ArrayBuffer(length);
      return new Uint8Array(reader.readAsArrayBuffer(source.slice(offset, offset + length)));
    } catch {
      return null;  // the file changed or went away: the list reports an io.error
    }
  };
}

/**
 * The chunks of `source` regrouped into pieces of `size` bytes (the last may be shorter), so a
 * stream cut small (a File's is cut in 64 KiB) costs few calls into WebAssembly. Each piece is
 * used before the next is asked for: small chunks share one buffer.
 */
async function* piecesOf(source, size) {
  const buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of chunksOf(source)) {
    let at = 0;
    if (filled === 0) {
      for (; chunk.length - at >= size; at += size) yield chunk.subarray(at, at + size);
    }
    while (at < chunk.length) {
      const take = Math.min(size - filled, chunk.length - at);
      buffer.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === size) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** All the bytes of a source, in one buffer (for work that needs the whole list at once). */
async function wholeOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || typeof source === 'string') return asBytes(source);
  const parts = [];
  let length = 0;
  for await (const chunk of chunksOf(source)) {
    parts.push(chunk);
    length += chunk.length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** Chunks of bytes from a Blob/File, a ReadableStream, an (async) iterable, or bytes. */
async function* chunksOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || typeof source === 'string') {
    yield asBytes(source);
    return;
  }
  const stream = typeof source.stream === 'function' ? source.stream() : source;
  if (typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield asBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (stream[Symbol.asyncIterator] || stream[Symbol.iterator]) {
    for await (const chunk of stream) yield asBytes(chunk);
    return;
  }
  throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'expected a File, Blob, stream or bytes' });
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
   * (docs/warehouse.md). Options: dialect (postgres, duckdb, sqlite, bigquery, snowflake, spark),
   * table ("leads"), keys (columns returned with the scores), columns ({field: column|null}, or a
   * list summary's `mapping`), asOf.
   */
  modelSql(model, { dialect = 'postgres', table = 'leads', keys, columns, asOf } = {}) {
    const options = { dialect, table, ...(keys ? { keys } : {}), ...(columns ? { columns } : {}), ...(asOf ? { asOf } : {}) };
    return unwrap(this.#module.model_sql(modelText(model), JSON.stringify(options)));
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
  async learnModel(source, { onProgress, ...options } = {}) {
    const bytes = await wholeOf(source);
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
  async backtest(source, { model, compare, ...options } = {}) {
    const bytes = await wholeOf(source);
    return unwrap(this.#module.backtest(bytes, modelText(model), compare === undefined ? '' : modelText(compare), JSON.stringify(options)));
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
   * Reads a whole list (File, Blob, ReadableStream, async iterable or bytes) chunk by chunk.
   * `onProgress({rows, bytes})` is called after each chunk; `signal` (AbortSignal) cancels;
   * `onStart(list)` gets the list before the first chunk (query() pages the rows scored so far).
   * Returns the finished LeadList; call close() when done with it. In a worker, a File or Blob is
   * read again when rows are needed rather than copied (FileReaderSync).
   *
   * `parallel: {parts, readPart, start}` reads a large File or Blob (or any {size, slice(from, to)}
   * whose slices are Blobs, streams or bytes) in up to `parts` parts at once: `start(parts)`, when
   * given, is told at once how many parts there will be at most (to start workers early); this
   * list reads the start and `readPart(request, {signal, onProgress})` has each other part read
   * elsewhere (another worker calling readPart(file, request)), resolving to its {packed, end}.
   * The list is the same as read alone; a part that fails or starts amiss is read here instead.
   */
  async scoreFile(source, { onProgress, onStart, signal, chunkBytes = DEFAULT_CHUNK_BYTES, parallel, ...options } = {}) {
    const expectedBytes = isSliceable(source) ? source.size : undefined;
    const list = this.openList({ readSource: blobReader(source), expectedBytes, ...options });
    onStart?.(list);
    try {
      const count = isSliceable(source) ? Math.min(parallel?.parts ?? 1, Math.floor(source.size / PART_MIN_BYTES)) : 1;
      if (count > 1) {
        parallel.start?.(count);
        await this.#readInParts(list, source, count, { readPart: parallel.readPart, options, chunkBytes, signal, onProgress });
      } else {
        await feedPieces(list, piecesOf(source, chunkBytes), { signal, onProgress });
      }
      list.finish();
      return list;
    } catch (error) {
      list.close();
      throw error;
    }
  }

  /**
   * The list reads the file's start; once its mapping is known the rest is cut where records
   * probably start and each part is handed to readPart. Then, from cut to cut, the list joins the
   * part that starts where it ends between two records, or reads on itself.
   */
  async #readInParts(list, source, count, { readPart, options, chunkBytes, signal, onProgress }) {
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
    const cuts = plan ? await this.#cuts(source, plan, count, first) : [];
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
  async #cuts(source, plan, count, after) {
    const cuts = [];
    const first = (1 + OWN_PART_BONUS) / count;
    for (let k = 1; k < count; ++k) {
      const nominal = Math.floor(source.size * (first + ((1 - first) * (k - 1)) / (count - 1)));
      const window = await wholeOf(source.slice(nominal, nominal + GUESS_WINDOW_BYTES));
      const offset = unwrap(this.#module.guess_record_start(window, plan.delimiter, plan.fields));
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
  async readPart(source, { plan, start, cuts, options = {} }, { signal, onProgress, chunkBytes = DEFAULT_CHUNK_BYTES } = {}) {
    const prefix = await wholeOf(source.slice(0, plan.prefixBytes));
    const { model, ...rest } = options;
    const part = this.#open((handle) =>
      handle.start_part(modelText(model), JSON.stringify(listOptions(rest)), JSON.stringify(plan), prefix, start));
    try {
      const report = onProgress && (({ rows, bytes }) => onProgress({ rows, bytes: bytes - plan.prefixBytes }));
      let end = start;
      // Up to the first cut it ends cleanly at (the next part starts there), else to the end.
      for (const cut of [...cuts, source.size]) {
        await feedPieces(part, piecesOf(source.slice(end, cut), chunkBytes), { signal, onProgress: report });
        end = cut;
        if (part.atRecordBoundary()) break;
      }
      part.finish();
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
  async exportPart(source, { plan, part, options = {} }, { onPart, onProgress, signal, chunkBytes = DEFAULT_CHUNK_BYTES } = {}) {
    const range = plan.parts[part];
    if (!range) throw new LeadScorerError({ code: 'usage.invalid_argument', message: `no part ${part} in the plan` });
    const writer = new this.#module.CsvPart();
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
   * Reads a small generated list, a piece at a time with a turn for other work (a message, a
   * cancel) after each, so that the engine has compiled the reading code for speed before a real
   * file comes: the first large file then reads about 10% faster. It reads in an instance of its
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

  /** {wasmBytes: the module's memory (it only grows, so this is its peak), heapInUse}. */
  memory() {
    return { wasmBytes: this.#module.HEAP8.length, heapInUse: this.#module.heap_in_use() };
  }
}

/** A list being scored: push() chunks, finish(), then query, explain, rescore, remap, exportCsv. */
export class LeadList {
  #handle;
  #partsJoined = 0;

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

  /** How other workers can read parts of this list (readPart), or null: not yet, or not this file. */
  partPlan() {
    return this.#call('part_plan');
  }

  /** Whether the bytes pushed so far end between two records. */
  atRecordBoundary() {
    return this.#handle?.at_record_boundary() ?? false;
  }

  /** Joins a part read elsewhere (readPart's `packed`) that starts where this list's bytes end. */
  joinPart(packed) {
    const progress = this.#call('join_part', packed);
    this.#partsJoined += 1;
    return progress;
  }

  /** How many parts read elsewhere this list joined (0: it read the whole file itself). */
  get partsJoined() {
    return this.#partsJoined;
  }

  /** A finished part, as bytes for joinPart. */
  packPart() {
    let packed;
    this.#call('pack_part', (bytes) => { packed = bytes; });
    return packed;
  }

  /** Ends the input; returns the summary. */
  finish() {
    return this.#call('finish');
  }

  /** Counts and shares per temperature, histogram, sources, grid, issues, file format, mapping, model. */
  summary() {
    return this.#call('summary');
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

  /** Scores every lead again with another model; returns {changed, summary}. */
  rescore(model) {
    return this.#call('rescore', modelText(model));
  }

  /** Corrects the column mapping ({field: header}, "" removes) and re-scores; returns {changed, summary}. */
  remap(mapping) {
    return this.#call('remap', JSON.stringify(mapping ?? {}));
  }

  /**
   * The scored CSV as Uint8Array parts for `new Blob(parts, {type: 'text/csv'})`;
   * `onProgress({rows, of})` now and then while the rows are written. With `onPart(part)`, each
   * part (about 1 MiB, its own copy) goes there as it is written and none is kept: a 1M-lead export
   * is 750 MB, which a caller can write out or put into Blobs as it goes.
   */
  exportCsv({ neutralizeFormulas = false, byteOrderMark = false, onProgress, onPart, fromRow, toRow } = {}) {
    const parts = [];
    const progress = onProgress ? (rows, of) => onProgress({ rows, of }) : null;
    const options = JSON.stringify({ neutralizeFormulas, byteOrderMark, fromRow, toRow });
    this.#call('export_csv', options, onPart ?? ((part) => parts.push(part)), progress);
    return onPart ? undefined : parts;
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
  async exportCsvInParts({ parallel, onPart, onProgress, signal, ...options } = {}) {
    const count = parallel?.parts ?? 1;
    const bytes = count > 1 ? this.#call('summary').file.bytes : 0;
    // Even shares: a part written elsewhere costs about what the list's own does (no packing, no join).
    const cuts = [];
    for (let k = 1; k < count && bytes / count >= PART_MIN_BYTES; ++k) cuts.push(Math.floor((bytes * k) / count));
    const plan = cuts.length > 0 ? this.#call('export_plan', JSON.stringify(cuts)) : null;
    if (!plan) {
      this.exportCsv({ ...options, onPart, onProgress });
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
        this.exportCsv({ ...options, fromRow: from, toRow: to, onPart, onProgress: progress });
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
