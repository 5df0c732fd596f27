// The page's side of the scoring worker: each method posts a request and resolves with its result.
import { LeadScorerError } from './errors.mjs';
import { Request, Response } from './protocol.mjs';

export class ScorerClient {
  #worker;
  #next = 1;
  #lists = 0;
  #pending = new Map(); // id -> {resolve, reject, onProgress}

  /**
   * Starts the worker (worker.mjs next to this file, unless `workerUrl` says otherwise); `type` is
   * 'module', or 'classic' for a bundled worker (pages opened from disk cannot start module workers).
   */
  constructor(workerUrl = new URL('./worker.mjs', import.meta.url), { type = 'module' } = {}) {
    this.#worker = new Worker(workerUrl, { type });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault?.();
      this.#failAll(event.message || 'the scoring worker stopped');
    };
  }

  /**
   * Why this worker can no longer be trusted (it crashed, failed inside, or ran out of memory,
   * which a WebAssembly instance never gives back), or null. Start a new client then.
   */
  broken = null;
  /** Called once when the worker breaks, with the reason. */
  onbroken = null;

  #break(reason) {
    if (this.broken) return;
    this.broken = reason;
    this.onbroken?.(reason);
  }

  #receive({ type, id, value, error, ...progress }) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    if (type === Response.PROGRESS) {
      pending.onProgress?.(progress);
      return;
    }
    this.#pending.delete(id);
    if (type === Response.RESULT) {
      pending.resolve(value);
      return;
    }
    if (error?.code === 'internal' || error?.code === 'memory.exhausted') this.#break(error.message);
    pending.reject(new LeadScorerError(error));
  }

  #failAll(message) {
    this.#break(message);
    for (const pending of this.#pending.values()) {
      pending.reject(new LeadScorerError({ code: 'internal', message: `The scoring worker failed: ${message}` }));
    }
    this.#pending.clear();
  }

  #request(type, payload = {}, onProgress) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, type, ...payload });
    });
  }

  /** Sends one request; resolves with its result (used by ListClient too). */
  request(type, payload, onProgress) { return this.#request(type, payload, onProgress); }

  init() { return this.#request(Request.INIT); }
  checkModel(model) { return this.#request(Request.CHECK_MODEL, { model }); }
  scoreLead(lead, options = {}) { return this.#request(Request.SCORE_LEAD, { lead, options }); }
  /** Learns a points model from a File/Blob with outcomes: {model, report}. */
  learnModel(source, options = {}, onProgress) { return this.#request(Request.LEARN, { source, options }, onProgress); }
  /** Back-tests a model on a File/Blob with outcomes: {outcome, report}. */
  backtest(source, options = {}) { return this.#request(Request.BACKTEST, { source, options }); }
  /** The model as one SQL SELECT for a warehouse (see LeadScorer.modelSql). */
  modelSql(model, options = {}) { return this.#request(Request.MODEL_SQL, { model, options }); }
  /** The same query as a dbt project's files (see LeadScorer.modelDbt). */
  modelDbt(model, options = {}) { return this.#request(Request.MODEL_DBT, { model, options }); }
  /** An Excel workbook's sheets in tab order, [{name, visible, worksheet, rows}]; null for a CSV. */
  workbookSheets(source) { return this.#request(Request.WORKBOOK_SHEETS, { source }); }
  /** The worker's WebAssembly memory: {wasmBytes (its peak: it only grows), heapInUse}. */
  memory() { return this.#request(Request.MEMORY); }
  /** A list of its own in the shared worker. */
  list() { return new ListClient(this, ++this.#lists); }

  terminate() {
    this.#worker.terminate();
    this.#failAll('it was stopped');
  }
}

/** One list held by the worker: read it, then query, explain, re-score, export. */
export class ListClient {
  #client;
  #list;

  constructor(client, list) {
    this.#client = client;
    this.#list = list;
  }

  #request(type, payload = {}, onProgress) { return this.#client.request(type, { ...payload, list: this.#list }, onProgress); }

  /** Reads and scores a File/Blob in the worker; `onProgress({rows, bytes})`. Resolves with the summary. */
  scoreFile(source, options = {}, onProgress) { return this.#request(Request.SCORE_FILE, { source, options }, onProgress); }
  /** Generates a demo list ({rows, seed, asOf}) in the worker and scores it like a file. */
  scoreSample(sample = {}, options = {}, onProgress) { return this.#request(Request.SCORE_SAMPLE, { sample, options }, onProgress); }
  cancel() { return this.#request(Request.CANCEL); }
  close() { return this.#request(Request.CLOSE); }
  summary() { return this.#request(Request.SUMMARY); }
  query(query) { return this.#request(Request.QUERY, { query }); }
  explain(row) { return this.#request(Request.EXPLAIN, { row }); }
  rescore(model) { return this.#request(Request.RESCORE, { model }); }
  remap(mapping) { return this.#request(Request.REMAP, { mapping }); }
  /** The scored CSV as a Blob; `onProgress({rows, of})` while it is written. */
  exportCsv(options = {}, onProgress) { return this.#request(Request.EXPORT_CSV, { options }, onProgress); }
}
