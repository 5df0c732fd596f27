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
