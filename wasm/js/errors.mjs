// The errors the scorer throws, and how a binding's answer becomes a value or one of them.

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

/** A binding's answer, the JSON text of {ok, value | error}: the value, or the error thrown. */
export function unwrap(text) {
  const result = JSON.parse(text);
  if (!result.ok) throw new LeadScorerError(result.error);
  return result.value;
}

/** Throws `aborted` once `signal` has fired. */
export function checkAborted(signal) {
  if (signal?.aborted) throw new LeadScorerError({ code: 'aborted', message: 'Scoring was cancelled.' });
}
