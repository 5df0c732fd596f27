// The message protocol between the page (client.mjs) and the scoring worker (worker.mjs).
// Requests carry a numeric id; the worker answers each with RESULT or ERROR for that id, and sends
// PROGRESS messages while a file is being read. List requests also carry `list`, the id of one of
// the lists the worker holds (several widgets can share one worker).

export const Request = Object.freeze({
  INIT: 'INIT',                   // {} -> {version, defaultModel, fields, memoryBudget}
  SCORE_FILE: 'SCORE_FILE',       // {source: File|Blob|Uint8Array|string, options} -> summary
  SCORE_SAMPLE: 'SCORE_SAMPLE',   // {sample: {rows, seed, asOf}, options} -> summary of a generated list
  CANCEL: 'CANCEL',               // {} -> stops a SCORE_FILE in progress
  CLOSE: 'CLOSE',                 // {} -> frees the list
  SUMMARY: 'SUMMARY',             // {} -> summary
  QUERY: 'QUERY',                 // {query} -> {matches, rows}
  EXPLAIN: 'EXPLAIN',             // {row} -> explanation
  RESCORE: 'RESCORE',             // {model} -> {changed, summary}
  REMAP: 'REMAP',                 // {mapping} -> {changed, summary}
  EXPORT_CSV: 'EXPORT_CSV',       // {options} -> Blob (text/csv)
  CHECK_MODEL: 'CHECK_MODEL',     // {model} -> errors[]
  SCORE_LEAD: 'SCORE_LEAD',       // {lead, options} -> explanation
  MEMORY: 'MEMORY',               // {} -> {wasmBytes, heapInUse}
  WORKBOOK_SHEETS: 'WORKBOOK_SHEETS', // {source} -> [{name, visible, worksheet, rows}], or null for a CSV
  LEARN: 'LEARN',                 // {source, options} -> {model, report}; PROGRESS {step, steps}
  BACKTEST: 'BACKTEST',           // {source, options} -> {outcome, report}
  MODEL_SQL: 'MODEL_SQL',         // {model, options} -> the model as SQL text
  MODEL_DBT: 'MODEL_DBT',         // {model, options} -> the model as a dbt project's files
  EXPORT_PART: 'EXPORT_PART',     // {source, request} -> Blob: a part of a list's scored CSV, for the worker exporting it
});

export const Response = Object.freeze({
  RESULT: 'RESULT',
  ERROR: 'ERROR',
  PROGRESS: 'PROGRESS',           // {id, rows, bytes} (reading) or {id, step, steps} (learning)
});

/** An error as a plain object that survives postMessage. */
export function flattenError(error) {
  if (error && typeof error.toJSON === 'function') return error.toJSON();
  return { name: 'LeadScorerError', code: 'internal', message: String(error?.message ?? error) };
}
