// <lead-detail>: one lead's explanation in plain words: who it is, its score and temperature, the
// rules that moved it (every rule behind "Show all"), what would make it hot and every cell.
import { h, replace, clip, formatCount, formatScore } from '../dom.mjs';
import { identify, axisWords, hitWords, isBase, telling } from '../words.mjs';

const MAX_CELL_CHARS = 2000;

// A cell of many megabytes is shown in part, with its size: the download keeps it whole.
const shownCell = (text) => (text.length > MAX_CELL_CHARS ? `${clip(text, MAX_CELL_CHARS)} (${formatCount(text.length)} characters in all)` : text);

export class LeadDetailElement extends HTMLElement {
  /** The mapping's columns [{header, field}] (who a lead is) and the model in force (its decays). */
  columns = [];
  model = null;

  connectedCallback() {
    if (!this.childElementCount) this.clear();
  }

  clear() {
    replace(this, h('p', { class: 'empty' }, 'Select a lead to see why it scored as it did.'));
  }

  set explanation(e) {
    const who = identify(e, this.columns);
    const shown = telling(e.hits);
    const base = e.hits.filter((hit) => isBase(hit) && hit.points !== 0);
    const table = (hits) => h('table', { class: 'hits' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Axis'),
        h('th', { scope: 'col' }, 'Points'), h('th', { scope: 'col' }, 'How'))),
      h('tbody', {}, hits.map((hit) => this.#hitRow(hit))));
    replace(this,
      h('h3', { tabindex: '-1' }, who.name),
      h('p', { class: 'who' }, [who.about, who.email !== who.name && who.email, who.id && `ID ${who.id}`, `line ${formatCount(e.line)}`]
        .filter(Boolean).join(' · ')),
      h('p', { class: `badge ${e.temperature}` }, `${e.temperature.toUpperCase()} · score ${formatScore(e.score)} · grade ${e.grade}`),
      e.disqualified && h('p', { class: 'warning' }, `Disqualified: ${e.disqualified.reason}`),
      e.held_back && h('p', { class: 'note' }, `Held back from hot: ${e.held_back}`),
      h('dl', { class: 'axes' },
        h('dt', {}, 'Fit'), h('dd', {}, axisWords(e.fit)),
        h('dt', {}, 'Engagement'), h('dd', {}, axisWords(e.engagement))),
      h('p', { class: 'next' }, h('strong', {}, 'Next: '), e.next_action, ` (stage: ${e.stage})`),
      e.to_hot && h('div', { class: 'to-hot' },
        h('h4', {}, 'What would make this lead hot'),
        e.to_hot.actions.length
          ? h('ul', {}, e.to_hot.actions.map((a) => h('li', {}, a.change, h('span', { class: 'hint' }, ` → score ${formatScore(a.score)}`))))
          : h('p', { class: 'note' }, `Nothing single: ${e.to_hot.blocked}.`)),
      h('h4', { class: 'hits-title' }, 'What moved the score'),
      shown.length ? table(shown) : h('p', { class: 'empty' }, 'No rule moved the score.'),
      base.length ? h('p', { class: 'hint base' }, `The model starts every lead with ${base.map((b) => `${formatScore(b.points)} ${b.axis} points`).join(' and ')}.`) : null,
      e.hits.length > shown.length + base.length ? h('details', { class: 'all-rules' },
        h('summary', {}, `Show all ${formatCount(e.hits.length)} rules that applied (with those giving no points)`),
        table(e.hits)) : null,
      h('details', {}, h('summary', {}, 'All cells of this lead'),
        h('dl', { class: 'cells' }, Object.entries(e.cells).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, shownCell(v))]))));
  }

  #hitRow(hit) {
    return h('tr', { class: hit.counted ? '' : 'superseded' },
      h('td', {}, hit.label),
      h('td', {}, hit.axis),
      h('td', { class: hit.points < 0 ? 'negative' : hit.points > 0 ? 'positive' : '' }, `${hit.points > 0 ? '+' : ''}${formatScore(hit.points)}`),
      h('td', {}, hitWords(hit, this.model)));
  }
}

customElements.get('lead-detail') || customElements.define('lead-detail', LeadDetailElement);
