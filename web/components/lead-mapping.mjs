// <lead-mapping>: the column -> lead field mapping found, the fields the model needs that the list
// lacks, a few values of each column, and a select per column to correct it. Emits
// `mapping-change` with {overrides: {field: header}, said} (said: what else the change did), or
// {overrides: null} to go back to the mapping found.
import { h, replace, clip } from '../dom.mjs';

// Beyond this many columns a select gets its options when it is first focused: 10,000 columns
// times 40 fields would be 400,000 elements.
const EAGER_COLUMNS = 200;
const MAX_HEADER_CHARS = 200;

export class LeadMappingElement extends HTMLElement {
  #fields = [];
  #columns = [];

  /** fields: [{name, label, group}] from the scorer. */
  set fields(fields) {
    this.#fields = fields;
  }

  /** samples: per column, a few of its values (after the summary). */
  set samples(samples) {
    this.querySelectorAll('td.samples').forEach((cell, i) => replace(cell, (samples[i] ?? []).join(' · ')));
  }

  /** summary: the list's; corrected: whether the user changed the mapping found. */
  show(summary, corrected) {
    const { mapping, model } = summary;
    this.#columns = mapping.columns;
    const absent = model.absent_fields ?? [];
    const groups = [...new Set(this.#fields.map((f) => f.group))];
    replace(this,
      absent.length
        ? h('p', { class: 'note' }, 'Fields the model uses that this list lacks (their rules do not count): ',
            absent.map((name) => this.#label(name)).join(', '), '.')
        : h('p', {}, 'The list has every field the model uses.'),
      mapping.notes.map((note) => h('p', { class: 'note' }, note)),
      corrected ? h('p', {}, h('button', { type: 'button', id: 'reset-mapping', onclick: () => this.#reset() }, 'Reset to the mapping found')) : null,
      h('table', { class: 'mapping' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Column in the file'), h('th', { scope: 'col' }, 'Read as'),
          h('th', { scope: 'col' }, 'Values'))),
        h('tbody', {}, mapping.columns.map((column, i) => h('tr', {},
          h('th', { scope: 'row', title: clip(column.header, 1000) }, clip(column.header, MAX_HEADER_CHARS)),
          h('td', {}, this.#select(column, groups, i < EAGER_COLUMNS)),
          h('td', { class: 'samples hint' }))))));
  }

  #select(column, groups, eager) {
    const options = () => [
      h('option', { value: '', selected: !column.field }, '— not used —'),
      groups.map((group) => h('optgroup', { label: group },
        this.#fields.filter((f) => f.group === group).map((f) =>
          h('option', { value: f.name, selected: f.name === column.field }, `${f.label} (${f.name})`))))];
    const current = this.#fields.find((f) => f.name === column.field);
    const select = h('select', {
      'aria-label': `Lead field for column ${clip(column.header, MAX_HEADER_CHARS)}`,
      onchange: (event) => this.#changed(column, event.target.value),
      onfocus: () => {
        if (select.dataset.lazy) replace(select, options());
        delete select.dataset.lazy;
      },
    }, eager ? options() : h('option', { value: column.field ?? '', selected: true }, current ? `${current.label} (${current.name})` : '— not used —'));
    if (!eager) select.dataset.lazy = '1';
    return select;
  }

  #label(name) {
    return this.#fields.find((f) => f.name === name)?.label ?? name;
  }

  #changed(column, field) {
    const change = {};
    if (column.field) change[column.field] = '';   // the column's old field loses it
    if (field) change[field] = column.header;
    // A field comes from one column: giving it to this one takes it from another. Say so.
    const from = field ? this.#columns.find((c) => c.field === field && c !== column) : null;
    const said = from ? `${this.#label(field)} now comes from “${clip(column.header, 80)}”, no longer from “${clip(from.header, 80)}”. ` : '';
    this.dispatchEvent(new CustomEvent('mapping-change', { detail: { overrides: change, said }, bubbles: true }));
  }

  #reset() {
    this.dispatchEvent(new CustomEvent('mapping-change', { detail: { overrides: null, said: 'Back to the mapping found: ' }, bubbles: true }));
  }
}

customElements.get('lead-mapping') || customElements.define('lead-mapping', LeadMappingElement);
