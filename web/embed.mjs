// The page a portal puts in an iframe: one <lead-score-form> that answers postMessage requests from
// the origins listed in ?allow= (space- or comma-separated) and scores with ?model= (a URL on this
// origin), ?theme= and ?compact. See docs/embedding.md.
import './widget.mjs';
import { h } from './dom.mjs';

const params = new URLSearchParams(location.search);
const form = h('lead-score-form', {
  'allow-origins': (params.get('allow') ?? '').split(/[\s,]+/).filter(Boolean).join(' '),
  model: params.get('model') ?? undefined,
  theme: params.get('theme') ?? 'auto',
  compact: params.has('compact'),
});
// Counted for tests and for the portal's own diagnostics (no message content is kept).
let rejected = 0;
form.addEventListener('lead-message-rejected', () => {
  document.body.dataset.rejected = String(++rejected);
});
form.addEventListener('lead-scored', () => {
  document.body.dataset.scored = '1';
});
document.querySelector('main').append(form);

// The portal around the frame (one of the allowed origins) hears when the form is there and how
// tall it is, so it can size the frame to its content, and tell a frame that never loads.
const allowed = (params.get('allow') ?? '').split(/[\s,]+/).filter(Boolean);
const parentOrigin = (() => {
  try {
    return location.ancestorOrigins?.[0] ?? new URL(document.referrer).origin;
  } catch {
    return null;  // no referrer: nobody to tell
  }
})();
const tell = (message) => {
  if (window.parent !== window && allowed.includes(parentOrigin)) window.parent.postMessage(message, parentOrigin);
};
let lastHeight = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.scrollHeight);
  if (height !== lastHeight) tell({ type: 'leadscore:resize', height: (lastHeight = height) });
}).observe(document.body);
customElements.whenDefined('lead-score-form').then(() => tell({ type: 'leadscore:ready' }));
