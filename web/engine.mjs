// The page's one scoring engine, shared by every widget: a Web Worker with one WebAssembly instance.
import { ScorerClient } from './client.mjs';

let sharedClient = null;
let sharedInit = null;
const brokenListeners = new Set();

/** Calls `listener(reason)` whenever the shared worker breaks; returns what stops it. */
export function onEngineBroken(listener) {
  brokenListeners.add(listener);
  return () => brokenListeners.delete(listener);
}

/** The page's one scoring worker, started on first use, and again after it broke. */
export function scorerClient() {
  if (sharedClient?.broken) {
    sharedClient.terminate();
    sharedClient = null;
  }
  if (!sharedClient) {
    // The offline single-file build provides the worker as a blob URL of a classic script.
    const bundled = globalThis.LEADSCORE_WORKER_URL;
    try {
      sharedClient = bundled
        ? new ScorerClient(bundled, { type: 'classic' })
        : new ScorerClient(new URL('./worker.mjs', import.meta.url));
    } catch (error) {
      // A worker must come from the page's own origin: a portal that loads the widget from another
      // one cannot start it.
      throw Object.assign(new Error(`The scoring engine could not start (${error.message}). Its files must be served from this page's own origin: see "Host the files" in docs/embedding.md.`),
        { code: 'engine.unavailable' });
    }
    // Every element on the page hears it (the client has one onbroken slot).
    sharedClient.onbroken = (reason) => {
      for (const listener of [...brokenListeners]) listener(reason);
    };
    sharedInit = sharedClient.init();
  }
  return { client: sharedClient, ready: sharedInit };
}

/**
 * The model named by a `model` attribute: the id of an inline <script type="application/json">
 * ("#id" or "id"), or a URL on the page's origin. Resolves to JSON text, or null for the built-in one.
 */
export async function loadModelAttribute(value) {
  if (!value) return null;
  const inline = document.getElementById(value.replace(/^#/, ''));
  if (inline && inline.tagName === 'SCRIPT') return inline.textContent;
  const url = new URL(value, document.baseURI);
  if (url.origin !== location.origin) throw new Error(`model: ${url} is not on this page's origin`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`model: ${url} answered ${response.status}`);
  return response.text();
}
