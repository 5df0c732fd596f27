// Saved models, in the browser's own storage (nothing leaves the machine): named models, each save a
// dated version that can be listed and restored; and the model being edited, so an edit survives a
// reload. One JSON value under one key; a storage that is full or switched off throws, and the
// caller says so.

const KEY = 'leadscore.models';
const MAX_VERSIONS = 50;  // per model: the oldest go first

/** The same model, whatever the order of its keys was when it was written. */
const canonical = (value) => JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
  ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));

export const sameModel = (a, b) => canonical(a) === canonical(b);

// A sandboxed frame or a browser set to keep nothing throws on the mere access.
function pageStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export class ModelStore {
  #storage;

  /** storage: a Web Storage (localStorage by default); null when the browser gives none. */
  constructor(storage = pageStorage()) {
    this.#storage = storage;
  }

  get available() {
    return this.#storage !== null;
  }

  #read() {
    try {
      const state = JSON.parse(this.#storage?.getItem(KEY) ?? 'null');
      if (state && Array.isArray(state.models)) return state;
    } catch {
      // Unreadable (written by something else): start afresh rather than fail the page.
    }
    return { models: [], working: null };
  }

  #write(state) {
    if (!this.#storage) throw new Error('this browser keeps no storage for this page');
    this.#storage.setItem(KEY, JSON.stringify(state));
  }

  /** [{id, name, saved, versions}], the latest saved first. */
  list() {
    return this.#read().models
      .map(({ id, name, versions }) => ({ id, name, saved: versions[0].saved, versions: versions.length }))
      .sort((a, b) => b.saved.localeCompare(a.saved));
  }

  /**
   * Saves `model` as a new version of saved model `id`, or as a new saved model when `id` is null;
   * its name is the model's. Returns the id.
   */
  save(model, id = null, now = new Date()) {
    const state = this.#read();
    let entry = id && state.models.find((m) => m.id === id);
    if (!entry) {
      entry = { id: `m${now.getTime().toString(36)}${Math.random().toString(36).slice(2, 6)}`, versions: [] };
      state.models.push(entry);
    }
    entry.name = model.name || 'Untitled model';
    entry.versions.unshift({ saved: now.toISOString(), model });
    entry.versions.length = Math.min(entry.versions.length, MAX_VERSIONS);
    this.#write(state);
    return entry.id;
  }

  /** [{saved, model}] of saved model `id`, newest first ([] when there is none). */
  versions(id) {
    return this.#read().models.find((m) => m.id === id)?.versions ?? [];
  }

  /** Renames saved model `id` (its versions keep the names they were saved with). */
  rename(id, name) {
    const state = this.#read();
    const entry = state.models.find((m) => m.id === id);
    if (!entry) return;
    entry.name = name;
    this.#write(state);
  }

  remove(id) {
    const state = this.#read();
    state.models = state.models.filter((m) => m.id !== id);
    if (state.working?.savedId === id) state.working.savedId = null;
    this.#write(state);
  }

  /** {model, savedId}: the model being edited when the page was left, or null. */
  working() {
    return this.#read().working;
  }

  setWorking(model, savedId) {
    const state = this.#read();
    state.working = { model, savedId };
    this.#write(state);
  }
}
