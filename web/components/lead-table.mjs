// <lead-table>: the scored list as a virtualised table. Only the rows in view exist in the DOM; they
// are pulled page by page from `fetchPage(query)` (the worker), so a million rows scroll smoothly.
// Sortable by any column, filtered by temperature, searchable.
import { h, replace, clip, formatCount, formatScore, TEMPERATURES } from '../dom.mjs';

const ROW_HEIGHT = 32;
// A list of 10,000 columns would put millions of cells in the DOM: the table shows the first ones
// (the detail of a lead and the export have them all), each cut for display.
const MAX_COLUMNS = 60;
const MAX_CELL_CHARS = 200;
const MAX_TITLE_CHARS = 1000;
const OVERSCAN = 15;
const FIXED = [
  { key: 'temperature', label: 'Temperature', width: 124 },
  { key: 'score', label: 'Score', width: 72 },
  { key: 'fit', label: 'Fit', width: 64 },
  { key: 'engagement', label: 'Engagement', width: 104 },
];

export class LeadTableElement extends HTMLElement {
  #header = [];
  #hiddenColumns = 0;
  #fetchPage = null;
  #onSelect = null;
  #sort = { sort: 'score', column: 0, descending: true };
  #temperatures = [];
  #search = '';
  #matches = 0;
  #sequence = 0;
  #shown = { offset: -1, limit: 0 };
  #selected = -1;
  #frame = 0;

  /** header: the file's column names; fetchPage(query) -> {matches, rows}; onSelect(row). */
  configure({ header, fetchPage, onSelect }) {
    this.#header = header.slice(0, MAX_COLUMNS);
    this.#hiddenColumns = header.length - this.#header.length;
    this.#fetchPage = fetchPage;
    this.#onSelect = onSelect;
    this.#selected = -1;
    this.#build();
    return this.refresh();
  }

  /** Queries again (after a re-score or a filter change) and redraws. */
  async refresh() {
    this.#shown = { offset: -1, limit: 0 };
    await this.#update(true);
  }

  get matches() {
    return this.#matches;
  }

  #query(offset, limit) {
    const query = { ...this.#sort, offset, limit };
    if (this.#temperatures.length) query.temperatures = this.#temperatures;
    if (this.#search) query.search = this.#search;
    return query;
  }

  #build() {
    const template = [...FIXED.map((c) => `${c.width}px`), ...this.#header.map(() => '160px')].join(' ');
    this.style.setProperty('--columns', template);
    const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'Show temperatures' },
      ['all', ...TEMPERATURES].map((t) => h('button', {
        type: 'button', class: `filter ${t}`, 'aria-pressed': String(t === 'all'), dataset: { temperature: t },
        onclick: () => this.#setFilter(t),
      }, t === 'all' ? 'All' : t[0].toUpperCase() + t.slice(1))));
    const search = h('input', {
      type: 'search', class: 'search', placeholder: 'Search any column', 'aria-label': 'Search leads',
      oninput: (event) => this.#setSearch(event.target.value),
    });
    this.matchesLabel = h('span', { class: 'matches', 'aria-live': 'polite' });
    const headerCells = [...FIXED.map((c) => ({ ...c, sortKey: { sort: c.key } })),
      ...this.#header.map((name, i) => ({ label: name || `Column ${i + 1}`, sortKey: { sort: 'column', column: i } }))];
    this.headRow = h('div', { class: 'tr head', role: 'row' },
      headerCells.map((c) => h('div', { class: 'th', role: 'columnheader' },
        h('button', { type: 'button', title: `Sort by ${c.label}`, onclick: () => this.#setSort(c.sortKey) }, c.label))));
    this.rows = h('div', { class: 'rows', role: 'rowgroup' });
    this.spacer = h('div', { class: 'spacer' }, this.rows);
    this.viewport = h('div', { class: 'viewport', role: 'table', 'aria-label': 'Scored leads', tabindex: '0' },
      this.headRow, this.spacer);
    this.viewport.addEventListener('scroll', () => this.#schedule());
    this.viewport.addEventListener('keydown', (event) => this.#key(event));
    const hidden = this.#hiddenColumns > 0
      ? h('span', { class: 'hint' }, `The first ${formatCount(this.#header.length)} of ${formatCount(this.#header.length + this.#hiddenColumns)} columns are shown; a lead's detail and the download have them all.`)
      : null;
    replace(this, h('div', { class: 'toolbar' }, filters, search, this.matchesLabel, hidden), this.viewport);
    this.#markSort();
  }

  #schedule() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#update(false);
    });
  }

  async #update(force) {
    if (!this.#fetchPage || !this.viewport) return;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const limit = Math.ceil((this.viewport.clientHeight || 600) / ROW_HEIGHT) + 2 * OVERSCAN;
    const shown = this.#shown;
    if (!force && first >= shown.offset && first + limit <= shown.offset + shown.limit + OVERSCAN) return;
    const sequence = ++this.#sequence;
    const page = await this.#fetchPage(this.#query(first, limit));
    if (sequence !== this.#sequence) return; // a newer request is on its way
    this.#matches = page.matches;
    this.#shown = { offset: first, limit };
    this.spacer.style.height = `${page.matches * ROW_HEIGHT}px`;
    this.viewport.setAttribute('aria-rowcount', String(page.matches + 1));
    this.matchesLabel.textContent = `${formatCount(page.matches)} leads`;
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    replace(this.rows, page.rows.map((row, i) => this.#row(row, first + i)));
    this.dispatchEvent(new CustomEvent('lead-table-rendered', { detail: { matches: page.matches } }));
  }

  #row(row, position) {
    const element = h('div', {
      class: `tr ${row.temperature}${row.row === this.#selected ? ' selected' : ''}`, role: 'row', tabindex: '-1',
      'aria-rowindex': String(position + 2), dataset: { row: row.row },
      onclick: () => this.#select(row.row, element),
    },
    h('div', { class: 'td', role: 'cell' }, h('span', { class: `badge ${row.temperature}` }, row.temperature)),
    h('div', { class: 'td num', role: 'cell' }, formatScore(row.score)),
    h('div', { class: 'td num', role: 'cell' }, formatScore(row.fit)),
    h('div', { class: 'td num', role: 'cell' }, formatScore(row.engagement)),
    row.cells.slice(0, this.#header.length).map((cell) => h('div', { class: 'td', role: 'cell', title: clip(cell, MAX_TITLE_CHARS) }, clip(cell, MAX_CELL_CHARS))));
    return element;
  }

  #select(row, element) {
    this.#selected = row;
    for (const selected of this.rows.querySelectorAll('.selected')) selected.classList.remove('selected');
    element?.classList.add('selected');
    element?.focus({ preventScroll: true });
    this.#onSelect?.(row);
  }

  #key(event) {
    const rows = [...this.rows.children];
    const at = rows.findIndex((r) => r.classList.contains('selected'));
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = rows[Math.min(rows.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) {
        this.#select(Number(next.dataset.row), next);
        next.scrollIntoView({ block: 'nearest' });
      }
    }
  }

  #setFilter(t) {
    this.#temperatures = t === 'all' ? [] : [t];
    for (const button of this.querySelectorAll('.filter')) {
      button.setAttribute('aria-pressed', String(button.dataset.temperature === t));
    }
    this.viewport.scrollTop = 0;
    this.refresh();
  }

  #setSearch(text) {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.#search = text.trim();
      this.viewport.scrollTop = 0;
      this.refresh();
    }, 200);
  }

  #setSort(key) {
    const same = key.sort === this.#sort.sort && (key.column ?? 0) === this.#sort.column;
    this.#sort = { sort: key.sort, column: key.column ?? 0, descending: same ? !this.#sort.descending : key.sort !== 'column' };
    this.#markSort();
    this.viewport.scrollTop = 0;
    this.refresh();
  }

  #markSort() {
    const index = this.#sort.sort === 'column' ? FIXED.length + this.#sort.column : FIXED.findIndex((c) => c.key === this.#sort.sort);
    [...this.headRow.children].forEach((th, i) => {
      if (i === index) th.setAttribute('aria-sort', this.#sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
  }
}

customElements.get('lead-table') || customElements.define('lead-table', LeadTableElement);
