// The scoring worker: one scorer and at most one list, driven by protocol.mjs messages.
import { createScorer, LeadScorerError } from './index.mjs';
import { Request, Response, flattenError } from './protocol.mjs';

const ready = createScorer();
let list = null;
let reading = null; // AbortController of the SCORE_FILE in progress

const handlers = {
  async [Request.INIT](scorer) {
    return { version: scorer.version, defaultModel: scorer.defaultModel(), fields: scorer.fields() };
  },
  async [Request.SCORE_FILE](scorer, { source, options }, id) {
    reading?.abort();
    list?.close();
    list = null;
    reading = new AbortController();
    let last = 0;
    const onProgress = ({ rows, bytes }) => {
      const now = Date.now();
      if (now - last >= 100) {
        last = now;
        postMessage({ type: Response.PROGRESS, id, rows, bytes });
      }
    };
    try {
      list = await scorer.scoreFile(source, { ...options, onProgress, signal: reading.signal, chunkBytes: 1 << 20 });
    } finally {
      reading = null;
    }
    return list.summary();
  },
  async [Request.SCORE_SAMPLE](scorer, { sample, options }, id) {
    const source = new Blob(scorer.sampleCsv(sample));
    return handlers[Request.SCORE_FILE](scorer, { source, options: { ...options, asOf: sample.asOf ?? options.asOf } }, id);
  },
  async [Request.CANCEL]() {
    reading?.abort();
    return null;
  },
  async [Request.SUMMARY]() {
    return current().summary();
  },
  async [Request.QUERY](scorer, { query }) {
    return current().query(query);
  },
  async [Request.EXPLAIN](scorer, { row }) {
    return current().explain(row);
  },
  async [Request.RESCORE](scorer, { model }) {
    return current().rescore(model);
  },
  async [Request.REMAP](scorer, { mapping }) {
    return current().remap(mapping);
  },
  async [Request.EXPORT_CSV](scorer, { options }) {
    return new Blob(current().exportCsv(options), { type: 'text/csv;charset=utf-8' });
  },
  async [Request.CHECK_MODEL](scorer, { model }) {
    return scorer.checkModel(model);
  },
  async [Request.SCORE_LEAD](scorer, { lead, options }) {
    return scorer.scoreLead(lead, options);
  },
};

function current() {
  if (!list) throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'No list is loaded.' });
  return list;
}

onmessage = async ({ data }) => {
  const { id, type, ...payload } = data;
  try {
    const scorer = await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    postMessage({ type: Response.RESULT, id, value: await handler(scorer, payload, id) });
  } catch (error) {
    postMessage({ type: Response.ERROR, id, error: flattenError(error) });
  }
};
