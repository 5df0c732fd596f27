// <lead-detail>: one lead's full explanation: scores, every rule with points, caps and decay,
// the next action and the follow-up deadline.
import { h, replace, clip, formatCount, formatScore } from '../dom.mjs';

const MAX_CELL_CHARS = 2000;

// A cell of many megabytes is shown in part, with its size: the download keeps it whole.
const shownCell = (text) => (text.length > MAX_CELL_CHARS ? `${clip(text, MAX_CELL_CHARS)} (${formatCount(text.length)} characters in all)` : text);

export class LeadDetailElement extends HTMLElement {
  connectedCallback() {
    if (!this.childElementCount) this.clear();
  }

  clear() {
    replace(this, h('p', { class: 'empty' }, 'Select a lead to see why it scored as it did.'));
  }

  set explanation(e) {
    const name = [e.cells['First Name'], e.cells['Last Name']].filter(Boolean).join(' ') ||
      e.cells.Email || e.cells.Name || `Line ${e.line}`;
    replace(this,
      h('h3', { tabindex: '-1' }, name),
      h('p', { class: `badge ${e.temperature}` }, `${e.temperature.toUpperCase()} · score ${formatScore(e.score)} · grade ${e.grade}`),
      e.disqualified && h('p', { class: 'warning' }, `Disqualified: ${e.disqualified.reason}`),
      e.held_back && h('p', { class: 'note' }, `Held back from hot: ${e.held_back}`),
      h('dl', { class: 'axes' },
        h('dt', {}, 'Fit'), h('dd', {}, axis(e.fit)),
        h('dt', {}, 'Engagement'), h('dd', {}, axis(e.engagement))),
      h('p', { class: 'next' }, h('strong', {}, 'Next: '), e.next_action, ` (stage: ${e.stage})`),
      e.to_hot && h('div', { class: 'to-hot' },
        h('h4', {}, 'What would make this lead hot'),
        e.to_hot.actions.length
          ? h('ul', {}, e.to_hot.actions.map((a) => h('li', {}, a.change, h('span', { class: 'hint' }, ` → score ${formatScore(a.score)}`))))
          : h('p', { class: 'note' }, `Nothing single: ${e.to_hot.blocked}.`)),
      h('table', { class: 'hits' },
        h('caption', {}, 'Every rule that fired'),
        h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Axis'), h('th', {}, 'Points'), h('th', {}, 'How'))),
        h('tbody', {}, e.hits.length ? e.hits.map(hitRow) : h('tr', {}, h('td', { colspan: 4 }, 'No rule fired.')))),
      h('details', {}, h('summary', {}, 'All cells of this lead'),
        h('dl', { class: 'cells' }, Object.entries(e.cells).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, shownCell(v))]))));
    this.querySelector('h3').focus({ preventScroll: true });
  }
}

function axis(a) {
  if (!a.measured) return 'not measured (the list has none of its columns)';
  return `${formatScore(a.score)} / 100 (${formatScore(a.points)} of ${formatScore(a.max_points)} points${a.capped ? ', capped' : ''})`;
}

function hitRow(hit) {
  const how = [];
  if (hit.missing_value) how.push('no value');
  if (hit.capped) how.push(`capped at ${hit.cap}`);
  if (hit.decay_factor !== undefined) how.push(`decayed ×${hit.decay_factor} from ${formatScore(hit.base)}`);
  if (!hit.counted) how.push(`a better rule of “${hit.group}” counted`);
  return h('tr', { class: hit.counted ? '' : 'superseded' },
    h('td', {}, hit.label),
    h('td', {}, hit.axis),
    h('td', { class: hit.points < 0 ? 'negative' : 'positive' }, `${hit.points > 0 ? '+' : ''}${formatScore(hit.points)}`),
    h('td', {}, how.join(', ')));
}

customElements.get('lead-detail') || customElements.define('lead-detail', LeadDetailElement);
