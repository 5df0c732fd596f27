// <lead-table>: the scored list as a virtualised table. Only the rows in view exist in the DOM; they
// are pulled page by page from `fetchPage(query)` (the worker), so a million rows scroll smoothly.
// Sortable by any column, filtered by temperature, searchable. Keyboard: the arrow keys, Page Up/Down,
// Home and End browse the leads (the detail follows), Enter opens the lead's detail (`lead-open`);
// the column headers are one tab stop, Left and Right move between them. In a narrow element (a
// phone) fit and engagement give way to a Lead column: who the lead is, from the mapped columns.
import { h, replace, clip, formatCount, formatScore, TEMPERATURES } from '../dom.mjs';

const ROW_HEIGHT = 32;
const LEAD_WIDTH = 170;
const AXES = ['fit', 'engagement'];
// A list of 10,000 columns would put millions of cells in the DOM: the table shows the first ones
// (the detail of a lead and the export have them all), each cut for display.
const MAX_COLUMNS = 60;
const MAX_CELL_CHARS = 200;
const MAX_TITLE_CHARS = 1000;
const OVERSCAN = 15;
// A column is as wide as its name needs, with the sort arrow, within bounds.
const columnWidth = (name, least = 100) => Math.round(Math.min(280, Math.max(least, 9.5 * name.length + 48)));
const FIXED = [
  { key: 'temperature', label: 'Temperature' },
  { key: 'score', label: 'Score' },
  { key: 'fit', label: 'Fit' },
  { key: 'engagement', label: 'Engagement' },
].map((c) => ({ ...c, width: columnWidth(c.label, 64) }));

export class LeadTableElement extends HTMLElement {
  #header = [];
  #hiddenColumns = 0;
  #measured = { fit: true, engagement: true };
  #nameOf = null;
  #nameColumn = -1;
  #fetchPage = null;
  #onSelect = null;
  #sort = { sort: 'score', column: 0, descending: true };
  #temperatures = [];
  #moved = false;     // only the leads the last change moved
  #movedCount = 0;
  #search = '';
  #matches = 0;
  #sequence = 0;
  #shown = { offset: -1, limit: 0 };
  #selected = -1;  // the selected lead's row index
  #position = -1;  // and its place in the current order
  #frame = 0;
  #moving = Promise.resolve();  // the keyboard's moves, one after another

  /**
   * header: the file's column names; fetchPage(query) -> {matches, rows}; onSelect(row, {pointer});
   * measured: {fit, engagement}, false for an axis the list has no column of (shown as a dash);
   * nameOf(cells): who a lead is; nameColumn: the column the Lead column sorts by (-1: none).
   */
  configure({ header, fetchPage, onSelect, measured = { fit: true, engagement: true }, nameOf = null, nameColumn = -1 }) {
    this.#measured = measured;
    this.#nameOf = nameOf;
    this.#nameColumn = nameColumn;
    this.#header = header.slice(0, MAX_COLUMNS);
    this.#hiddenColumns = header.length - this.#header.length;
    this.#fetchPage = fetchPage;
    this.#onSelect = onSelect;
    this.#selected = -1;
    this.#position = -1;
    this.#build();
    return this.refresh();
  }

  /** Queries again (after a re-score or a filter change) and redraws. */
  async refresh() {
    this.#shown = { offset: -1, limit: 0 };
    this.#position = -1;  // the order changed: browsing starts again from the top
    await this.#update(true);
  }

  /** How many leads the table's filter and search keep (not `matches`: an element's own method). */
  get matchCount() {
    return this.#matches;
  }

  #query(offset, limit) {
    const query = { ...this.#sort, offset, limit };
    if (this.#temperatures.length) query.temperatures = this.#temperatures;
    if (this.#moved) query.moved = true;
    if (this.#search) query.search = this.#search;
    return query;
  }

  #build() {
    const files = this.#header.map((name, i) => `${columnWidth(name || `Column ${i + 1}`)}px`);
    this.style.setProperty('--columns', [...FIXED.map((c) => `${c.width}px`), ...files].join(' '));
    this.style.setProperty('--columns-narrow', ['100px', '72px', `${LEAD_WIDTH}px`, ...files].join(' '));
    const label = { all: 'All', moved: `Moved (${formatCount(this.#movedCount)})` };
    const filters = h('div', { class: 'filters', role: 'group', 'aria-label': 'Show temperatures' },
      ['all', ...TEMPERATURES, 'moved'].map((t) => h('button', {
        type: 'button', class: `filter ${t}`, 'aria-pressed': String(t === (this.#moved ? 'moved' : this.#temperatures[0] ?? 'all')),
        dataset: { temperature: t }, hidden: t === 'moved' && this.#movedCount === 0,
        onclick: () => this.#setFilter(t),
      }, label[t] ?? t[0].toUpperCase() + t.slice(1))));
    const search = h('input', {
      type: 'search', class: 'search', placeholder: 'Search any column', 'aria-label': 'Search leads',
      oninput: (event) => this.#setSearch(event.target.value),
    });
    this.matchesLabel = h('span', { class: 'matches', 'aria-live': 'polite' });
    const headerCells = [...FIXED.map((c) => ({ ...c, sortKey: { sort: c.key } })),
      { label: 'Lead', key: 'lead', sortKey: this.#nameColumn >= 0 ? { sort: 'column', column: this.#nameColumn } : { sort: 'row' } },
      ...this.#header.map((name, i) => ({ label: name || `Column ${i + 1}`, sortKey: { sort: 'column', column: i } }))];
    this.headRow = h('div', { class: 'tr head', role: 'row' },
      headerCells.map((c) => h('div', { class: `th${AXES.includes(c.key) ? ' axis-col' : c.key === 'lead' ? ' lead-col' : ''}`, role: 'columnheader' },
        h('button', { type: 'button', tabindex: '-1', title: `Sort by ${c.label}`, onclick: () => this.#setSort(c.sortKey) }, c.label))));
    this.headRow.addEventListener('keydown', (event) => this.#headerKey(event));
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
    const count = `${formatCount(page.matches)} leads`;
    if (this.matchesLabel.textContent !== count) this.matchesLabel.textContent = count;
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    // Redrawing must not drop the focus of someone browsing with the keyboard.
    const focused = this.rows.contains(this.getRootNode().activeElement);
    replace(this.rows, page.rows.map((row, i) => this.#row(row, first + i)));
    if (focused) (this.#rowAt(this.#position) ?? this.viewport).focus({ preventScroll: true });
    this.dispatchEvent(new CustomEvent('lead-table-rendered', { detail: { matches: page.matches } }));
  }

  #row(row, position) {
    const element = h('div', {
      class: `tr ${row.temperature}${row.row === this.#selected ? ' selected' : ''}`, role: 'row', tabindex: '-1',
      'aria-rowindex': String(position + 2), dataset: { row: row.row },
      onclick: () => this.#select(row.row, position, { pointer: true }),
    },
    h('div', { class: 'td', role: 'cell' }, row.was ? [h('span', { class: `badge was ${row.was}` }, row.was), ' → '] : null,
      h('span', { class: `badge ${row.temperature}` }, row.temperature)),
    h('div', { class: 'td num', role: 'cell' }, formatScore(row.score)),
    h('div', { class: 'td num axis-col', role: 'cell' }, this.#measured.fit ? formatScore(row.fit) : '–'),
    h('div', { class: 'td num axis-col', role: 'cell' }, this.#measured.engagement ? formatScore(row.engagement) : '–'),
    h('div', { class: 'td lead-col', role: 'cell' }, this.#nameOf ? clip(this.#nameOf(row.cells), MAX_CELL_CHARS) : ''),
    row.cells.slice(0, this.#header.length).map((cell) => h('div', { class: 'td', role: 'cell', title: clip(cell, MAX_TITLE_CHARS) }, clip(cell, MAX_CELL_CHARS))));
    return element;
  }

  /** Selects the lead at `position` of the order (row index `row`), focuses it and tells onSelect. */
  #select(row, position, how = { pointer: false }) {
    this.#selected = row;
    this.#position = position;
    for (const selected of this.rows.querySelectorAll('.selected')) selected.classList.remove('selected');
    const element = this.#rowAt(position);
    element?.classList.add('selected');
    element?.focus({ preventScroll: true });
    this.#onSelect?.(row, how);
  }

  #rowAt(position) {
    return this.rows.querySelector(`[aria-rowindex="${position + 2}"]`);
  }

  // Browsing: the next lead may not be drawn yet, so the view scrolls to it and draws it first;
  // keys pressed meanwhile wait their turn.
  #key(event) {
    if (event.target.closest('.head')) return;
    const page = Math.max(1, Math.floor((this.viewport.clientHeight - ROW_HEIGHT) / ROW_HEIGHT) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    let step;
    if (event.key === 'Enter') {
      step = () => this.#position >= 0 && this.dispatchEvent(new CustomEvent('lead-open', { detail: { row: this.#selected }, bubbles: true }));
    } else if (event.key in moves && this.#matches > 0) {
      step = () => this.#move(moves[event.key]);
    } else {
      return;
    }
    event.preventDefault();
    this.#moving = this.#moving.then(step).catch(() => {});  // a failed page is the scorer's to show
  }

  async #move(by) {
    const position = Math.min(this.#matches - 1, Math.max(0, (this.#position < 0 ? -1 : this.#position) + by));
    const top = position * ROW_HEIGHT;
    const visible = this.viewport.clientHeight - 2 * ROW_HEIGHT;  // below the sticky header
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top > this.viewport.scrollTop + visible) this.viewport.scrollTop = top - visible;
    // A redraw the scroll asked for may overtake this one: draw until the lead is there.
    for (let tries = 0; tries < 5 && !this.#rowAt(position); ++tries) await this.#update(true);
    const element = this.#rowAt(position);
    if (element) this.#select(Number(element.dataset.row), position);
  }

  /** Puts the focus back on the selected lead (after its detail is left), or on the table. */
  focusSelected() {
    (this.#rowAt(this.#position) ?? this.viewport).focus({ preventScroll: this.#position >= 0 });
  }

  // The column headers are one tab stop: Left and Right move along them.
  #headerKey(event) {
    const buttons = [...this.headRow.querySelectorAll('button')].filter((b) => b.checkVisibility());
    const at = buttons.indexOf(event.target);
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (at < 0 || to === undefined) return;
    event.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next.focus();
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  /** After a change: how many leads it moved (0 hides the Moved filter). */
  set movedCount(count) {
    this.#movedCount = count;
    const button = this.querySelector('.filter.moved');
    if (!button) return;
    button.hidden = count === 0;
    button.textContent = `Moved (${formatCount(count)})`;
    if (count === 0 && this.#moved) this.#setFilter('all');
  }

  /** Shows only the leads the last change moved, each with where it was. */
  showMoved() {
    if (this.#movedCount > 0) this.#setFilter('moved');
  }

  #setFilter(t) {
    this.#moved = t === 'moved';
    this.#temperatures = t === 'all' || t === 'moved' ? [] : [t];
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
    // The header's cells: the fixed ones, Lead, then the file's columns.
    const index = this.#sort.sort === 'column' ? FIXED.length + 1 + this.#sort.column : FIXED.findIndex((c) => c.key === this.#sort.sort);
    [...this.headRow.children].forEach((th, i) => {
      if (i === index) th.setAttribute('aria-sort', this.#sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      th.querySelector('button').tabIndex = i === index ? 0 : -1;
    });
  }
}

customElements.get('lead-table') || customElements.define('lead-table', LeadTableElement);
