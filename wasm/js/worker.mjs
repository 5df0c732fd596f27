// The scoring worker: one scorer and the lists of every widget that shares it, by list id,
// driven by protocol.mjs messages.
import { createScorer, LeadScorerError } from './index.mjs';
import { Request, Response, flattenError } from './protocol.mjs';

// The scorer, made on the first message: a helper writing a part gets the compiled module with it.
// The offline single-file build hands the module's bytes over instead of a file to fetch (and runs
// from a blob: URL, which cannot resolve a relative file name: locateFile keeps it from trying).
let ready = null;
function scorerFor({ wasmModule }) {
  ready ??= createScorer(wasmModule ? { wasmModule }
    : globalThis.LEADSCORE_WASM_BINARY ? { wasmBinary: globalThis.LEADSCORE_WASM_BINARY, locateFile: (file) => file }
    : {});
  return ready;
}
// A large list's export is written in parts by copies of this worker, one per core beyond this one's.
const MAX_PARTS = 4;
// An export's parts are joined into Blobs of this size as they are written.
const BLOB_BYTES = 32 << 20;
const lists = new Map();    // list id -> LeadList
const sources = new Map();  // list id -> the File or Blob it was read from (its helpers read it too)
const readings = new Map(); // list id -> AbortController of the SCORE_FILE in progress

// Once the page has loaded the scorer, it warms up until the first other request comes.
let warming = null;

const handlers = {
  async [Request.INIT](scorer) {
    if (!warming) {  // once, however many widgets share this worker
      warming = new AbortController();
      scorer.warmUp({ signal: warming.signal }).catch(() => {});  // only ever a speed-up
    }
    return { version: scorer.version, defaultModel: scorer.defaultModel(), fields: scorer.fields(), memoryBudget: scorer.memoryBudget() };
  },
  async [Request.SCORE_FILE](scorer, { source, options, list: key }, id) {
    readings.get(key)?.abort();
    lists.get(key)?.close();
    forget(key);
    const reading = new AbortController();
    readings.set(key, reading);
    const onProgress = progressPoster(id);
    // The list is there from the start, so the page can show the leads scored so far.
    let started = null;
    const onStart = (list, text) => {
      started = list;
      lists.set(key, list);
      sources.set(key, text);  // a workbook's sheet as CSV text, which the export's helpers read
    };
    try {
      const list = await scorer.scoreFile(source, { ...options, onProgress, onStart, signal: reading.signal, chunkBytes: 1 << 20 });
      return list.summary();
    } catch (error) {
      if (lists.get(key) === started) forget(key);  // scoreFile closed it
      throw error;
    } finally {
      if (readings.get(key) === reading) readings.delete(key);
    }
  },
  async [Request.SCORE_SAMPLE](scorer, { sample, options, list }, id) {
    const source = new Blob(scorer.sampleCsv(sample));
    return handlers[Request.SCORE_FILE](scorer, { source, options: { ...options, asOf: sample.asOf ?? options.asOf }, list }, id);
  },
  async [Request.CANCEL](scorer, { list }) {
    readings.get(list)?.abort();
    return null;
  },
  async [Request.CLOSE](scorer, { list }) {
    readings.get(list)?.abort();
    lists.get(list)?.close();
    forget(list);
    return null;
  },
  async [Request.SUMMARY](scorer, { list }) {
    return current(list).summary();
  },
  async [Request.QUERY](scorer, { query, list }) {
    return current(list).query(query);
  },
  async [Request.EXPLAIN](scorer, { row, list }) {
    return current(list).explain(row);
  },
  async [Request.RESCORE](scorer, { model, list }) {
    return current(list).rescore(model);
  },
  async [Request.REMAP](scorer, { mapping, list }) {
    return current(list).remap(mapping);
  },
  async [Request.EXPORT_CSV](scorer, { options, list }, id) {
    // Large lists are written in parts at once by copies of this worker, each reading its rows again.
    const source = sources.get(list);
    const blobs = new BlobCollector();
    await current(list).exportCsvInParts({
      ...options,
      onProgress: progressPoster(id),
      onPart: (part) => blobs.add(part),
      parallel: source && {
        parts: Math.min(MAX_PARTS, globalThis.navigator?.hardwareConcurrency ?? 1),
        exportPart: (request, how) => new PartHelper(scorer.wasmModule).run(Request.EXPORT_PART, { source, request }, how),
      },
    });
    return blobs.file();
  },
  async [Request.CHECK_MODEL](scorer, { model }) {
    return scorer.checkModel(model);
  },
  async [Request.SCORE_LEAD](scorer, { lead, options }) {
    return scorer.scoreLead(lead, options);
  },
  async [Request.MEMORY](scorer) {
    return scorer.memory();
  },
  async [Request.WORKBOOK_SHEETS](scorer, { source }) {
    return scorer.workbookSheets(source);
  },
  async [Request.LEARN](scorer, { source, options }, id) {
    // Posted while the module works: the page shows them at once.
    return scorer.learnModel(source, { ...options, onProgress: ({ step, steps }) => postMessage({ type: Response.PROGRESS, id, step, steps }) });
  },
  async [Request.BACKTEST](scorer, { source, options }) {
    return scorer.backtest(source, options);
  },
  async [Request.MODEL_SQL](scorer, { model, options }) {
    return scorer.modelSql(model, options);
  },
  async [Request.MODEL_DBT](scorer, { model, options }) {
    return scorer.modelDbt(model, options);
  },
  async [Request.EXPORT_PART](scorer, { source, request }, id) {
    const blobs = new BlobCollector();
    await scorer.exportPart(source, request, { onPart: (part) => blobs.add(part), onProgress: progressPoster(id), chunkBytes: 1 << 20 });
    return blobs.file();
  },
};

function forget(list) {
  lists.delete(list);
  sources.delete(list);
}

/**
 * A CSV put into Blobs of BLOB_BYTES as its parts come, then the Blobs into one: the worker never
 * holds the whole CSV (2.5 times the list), the browser keeps Blobs out of the page.
 */
class BlobCollector {
  #blobs = [];
  #parts = [];
  #bytes = 0;

  /** A Uint8Array written here, or a Blob written elsewhere. */
  add(part) {
    if (part instanceof Blob) {
      this.#seal();
      this.#blobs.push(part);
      return;
    }
    this.#parts.push(part);
    this.#bytes += part.length;
    if (this.#bytes >= BLOB_BYTES) this.#seal();
  }

  file() {
    this.#seal();
    return new Blob(this.#blobs, { type: 'text/csv;charset=utf-8' });
  }

  #seal() {
    if (this.#parts.length === 0) return;
    this.#blobs.push(new Blob(this.#parts));
    this.#parts = [];
    this.#bytes = 0;
  }
}

/** Posts progress ({rows, bytes} reading, {rows, of} exporting) for request `id`, at most every 100 ms. */
function progressPoster(id) {
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (now - last >= 100) {
      last = now;
      postMessage({ type: Response.PROGRESS, id, ...progress });
    }
  };
}

/** A copy of this worker that writes one part of a list's export, then ends. */
class PartHelper {
  #worker = null;
  #pending = null;  // the request being answered: {message(data), fail(error)}
  #failure = null;

  constructor(wasmModule) {
    try {
      this.#worker = new Worker(import.meta.url, { type: 'module' });
    } catch {
      // No workers in workers here, or a policy that forbids them: the list writes the part itself.
      this.#failure = new LeadScorerError({ code: 'internal', message: 'A helper worker could not be started.' });
      return;
    }
    this.#worker.onmessage = ({ data }) => this.#pending?.message(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#failure = new LeadScorerError({ code: 'internal', message: 'A helper worker failed to start or crashed.' });
      this.#pending?.fail(this.#failure);
    };
    this.#worker.postMessage({ id: 0, type: Request.INIT, wasmModule });
  }

  /** Has the helper answer one request (EXPORT_PART) with `payload`, then ends. */
  run(type, payload, { signal, onProgress }) {
    return new Promise((resolve, reject) => {
      const end = (settle, value) => {
        this.close();
        signal.removeEventListener('abort', stop);
        settle(value);
      };
      const stop = () => end(reject, new LeadScorerError({ code: 'aborted', message: 'The part is no longer needed.' }));
      if (this.#failure) return end(reject, this.#failure);
      if (signal.aborted) return stop();  // cancelled before it was asked
      signal.addEventListener('abort', stop);
      this.#pending = {
        message: (data) => {
          if (data.id !== 1) return;  // the INIT answer
          if (data.type === Response.PROGRESS) onProgress?.(data);
          else if (data.type === Response.RESULT) end(resolve, data.value);
          else end(reject, new LeadScorerError(data.error));
        },
        fail: (error) => end(reject, error),
      };
      this.#worker.postMessage({ id: 1, type, ...payload });
    });
  }

  close() {
    this.#worker?.terminate();
  }
}

function current(key) {
  const list = lists.get(key);
  if (!list) throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'No list is loaded.' });
  return list;
}

onmessage = async ({ data }) => {
  const { id, type, ...payload } = data;
  if (type !== Request.INIT) warming?.abort();
  try {
    const scorer = await scorerFor(data);
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    const value = await handler(scorer, payload, id);
    postMessage({ type: Response.RESULT, id, value });
  } catch (error) {
    postMessage({ type: Response.ERROR, id, error: flattenError(error) });
  }
};
