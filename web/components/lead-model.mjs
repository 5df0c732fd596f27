// <lead-model>: the model sales and marketing agree on. Presets and saved models (in the browser's
// own storage, each save a dated version); thresholds and every rule's points, missing-value points,
// caps, bands, words and decay as form controls; rules on fields the list lacks marked; the raw JSON
// with inline validation errors; import and export as a file. Emits `model-change` with a valid
// model (an object) after each edit.
import { h, replace, download } from '../dom.mjs';
import { ModelStore, sameModel } from '../model-store.mjs';

const PRESETS = {
  default: { label: 'Balanced (default)', apply: () => {} },
  engagement: { label: 'Engagement-led (70% engagement)', apply: (m) => { m.segments.weights = { fit: 0.3, engagement: 0.7 }; } },
  fit: { label: 'Fit-led (70% fit)', apply: (m) => { m.segments.weights = { fit: 0.7, engagement: 0.3 }; } },
  strict: {
    label: 'Strict hand-off (hot needs fit and engagement of 60)',
    apply: (m) => { m.segments.hot = 70; m.segments.hot_requires = { fit: 60, engagement: 60 }; },
  },
  matrix: {
    label: 'Fit × engagement matrix (A1–C3)',
    apply: (m) => {
      m.segments = {
        method: 'matrix', weights: m.segments.weights ?? { fit: 0.5, engagement: 0.5 },
        matrix: { A1: 'hot', A2: 'hot', A3: 'warm', B1: 'hot', B2: 'warm', B3: 'cold', C1: 'warm', C2: 'cold', C3: 'cold' },
      };
    },
  },
};

// The tests whose words a rule lists.
const WORD_TESTS = ['contains_any', 'equals', 'domain_in'];
// A model of thousands of rules is edited in its JSON past this many a table: a form that large
// would take the page a long time to draw and no one to read.
const MAX_RULE_ROWS = 400;
const presetModel = (base, key) => {
  const model = structuredClone(base);
  model.segments ??= {};
  PRESETS[key].apply(model);
  return model;
};
const when = (iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export class LeadModelElement extends HTMLElement {
  #base = null;       // the model presets start from
  #model = null;      // the model in force
  #check = null;      // async (model) -> errors[]
  #store = new ModelStore();
  #savedId = null;    // the saved model being edited, if any
  #absent = [];       // fields the list lacks
  #confirmDelete = false;

  /**
   * base: the model presets start from; check(model) -> errors (the scorer's checkModel);
   * restore: start from the model being edited when the page was left, if any (the page's own
   * scorer; one given a model by its page does not).
   */
  configure({ base, check, restore = false }) {
    this.#base = base;
    this.#check = check;
    this.#model = structuredClone(base);
    this.#savedId = null;
    const working = restore && this.#safely(() => this.#store.working());
    if (working?.model) {
      this.#model = working.model;
      this.#savedId = working.savedId;
    }
    this.#render();
  }

  get model() {
    return this.#model;
  }

  /**
   * Shows `model` as the one in force (an undone change, or one set from outside: a learned model),
   * without a model-change event.
   */
  show(model) {
    this.#model = structuredClone(model);
    if (this.#savedId && !sameModel(this.#safely(() => this.#store.versions(this.#savedId))?.[0]?.model, model)) this.#savedId = null;
    this.#keepWorking();
    this.#render();
  }

  /** The fields the list lacks: their rules are marked as not counting. */
  set absentFields(fields) {
    this.#absent = fields ?? [];
    for (const row of this.querySelectorAll('tr[data-field]')) this.#markAbsent(row);
  }

  // A storage that is full or switched off: say so, and go on without it.
  #safely(action) {
    try {
      return action();
    } catch (error) {
      this.#status(`Not saved: ${error.message}.`);
      return null;
    }
  }

  #render() {
    this.#confirmDelete = false;
    const m = this.#model;
    const seg = m.segments ?? {};
    this.json = h('textarea', {
      class: 'json', rows: 18, spellcheck: 'false', 'aria-label': 'Model JSON', 'aria-describedby': 'model-errors',
      oninput: () => this.#jsonEdited(),
    });
    this.json.value = JSON.stringify(m, null, 2);
    this.errors = h('ul', { id: 'model-errors', class: 'errors', 'aria-live': 'polite' });
    const thresholds = seg.method === 'matrix'
      ? h('p', {}, 'This model uses a fit × engagement matrix; edit it in the JSON below.')
      : h('div', { class: 'thresholds' },
          this.#number('Warm from', seg.warm ?? 30, (x, v) => { x.segments.warm = v; }, { min: 0, max: 100, name: 'warm' }),
          this.#number('Hot from', seg.hot ?? 60, (x, v) => { x.segments.hot = v; }, { min: 0, max: 100, name: 'hot' }),
          this.#number('Hot needs fit ≥', seg.hot_requires?.fit ?? 0,
            (x, v) => { x.segments.hot_requires = { ...x.segments.hot_requires, fit: v }; }, { min: 0, max: 100 }),
          this.#number('and engagement ≥', seg.hot_requires?.engagement ?? 0,
            (x, v) => { x.segments.hot_requires = { ...x.segments.hot_requires, engagement: v }; }, { min: 0, max: 100 }),
          this.#number('Fit weight', seg.weights?.fit ?? 0.5,
            (x, v) => { x.segments.weights = { ...x.segments.weights, fit: v }; }, { min: 0 }),
          this.#number('Engagement weight', seg.weights?.engagement ?? 0.5,
            (x, v) => { x.segments.weights = { ...x.segments.weights, engagement: v }; }, { min: 0 }));
    replace(this,
      this.#bar(),
      h('label', { class: 'model-name-field' }, 'Name ', h('input', {
        type: 'text', name: 'model-name', value: m.name ?? '', class: 'model-name',
        onchange: (e) => this.#edit((x) => { x.name = e.target.value.trim() || undefined; }),
      })),
      thresholds,
      this.errors,
      h('div', { class: 'rule-tables' }, this.#axis('fit'), this.#axis('engagement')),
      this.#disqualifiers(),
      h('details', {}, h('summary', {}, 'Model JSON (the shared definition)'), this.json));
    this.#status();
  }

  // Presets and saved models, and what can be done with them.
  #bar() {
    const saved = this.#safely(() => this.#store.list()) ?? [];
    const current = this.#savedId ? `saved:${this.#savedId}`
      : Object.keys(PRESETS).find((key) => sameModel(presetModel(this.#base, key), this.#model)) ?? 'custom';
    const select = h('select', { name: 'model-choice', 'aria-label': 'Model', onchange: (e) => this.#choose(e.target.value) },
      current === 'custom' ? h('option', { value: 'custom', selected: true }, `${this.#model.name || 'Custom model'} (not saved)`) : null,
      h('optgroup', { label: 'Presets' }, Object.entries(PRESETS).map(([key, p]) => h('option', { value: key, selected: key === current }, p.label))),
      saved.length ? h('optgroup', { label: 'Saved in this browser' },
        saved.map((s) => h('option', { value: `saved:${s.id}`, selected: `saved:${s.id}` === current }, s.name))) : null);
    const file = h('input', { type: 'file', accept: '.json,application/json', hidden: true, onchange: (e) => this.#import(e.target.files[0]) });
    const versions = this.#savedId ? this.#safely(() => this.#store.versions(this.#savedId)) ?? [] : [];
    this.statusLine = h('span', { class: 'model-status', role: 'status' });
    return h('div', { class: 'model-head' },
      h('div', { class: 'model-bar' },
        h('label', {}, 'Model ', select),
        this.statusLine,
        h('button', { type: 'button', id: 'save-model', onclick: () => this.#save(false), disabled: !this.#store.available },
          this.#savedId ? 'Save' : 'Save in this browser'),
        this.#savedId ? h('button', { type: 'button', id: 'save-model-as', onclick: () => this.#save(true) }, 'Save as a new model') : null,
        h('button', { type: 'button', onclick: () => file.click() }, 'Import model…'), file,
        h('button', { type: 'button', id: 'export-model', onclick: () => this.#export() }, 'Export model'),
        this.#savedId ? h('button', { type: 'button', id: 'delete-model', onclick: (e) => this.#delete(e.target) }, 'Delete') : null),
      versions.length ? h('details', { class: 'versions' },
        h('summary', {}, `Versions of this model (${versions.length})`),
        h('ol', {}, versions.map((v, i) => h('li', {},
          `${when(v.saved)}: ${v.model.name ?? ''} `,
          h('button', { type: 'button', class: 'restore', onclick: () => this.#propose(structuredClone(v.model), true) },
            i === 0 ? 'Restore the saved one' : 'Restore'))))) : null);
  }

  #status(message) {
    if (!this.statusLine) return;
    if (message) {
      this.statusLine.textContent = message;
      return;
    }
    const latest = this.#savedId && this.#safely(() => this.#store.versions(this.#savedId))?.[0];
    const unsaved = latest ? !sameModel(latest.model, this.#model) : this.#savedId !== null;
    this.statusLine.textContent = latest ? (unsaved ? 'Unsaved changes' : `Saved ${when(latest.saved)}`) : '';
    this.statusLine.classList.toggle('unsaved', unsaved);
  }

  // One axis's rules, each with what can be edited for its test.
  #axis(axis) {
    const rules = this.#model[axis]?.rules ?? [];
    const decay = this.#model[axis]?.decay;
    return h('div', { class: 'axis-rules' },
      h('table', { class: 'rules' },
        h('caption', {}, axis === 'fit' ? 'Fit rules' : 'Engagement rules'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Points'))),
        h('tbody', {}, rules.slice(0, MAX_RULE_ROWS).map((rule, i) => this.#ruleRow(axis, rule, i)))),
      rules.length > MAX_RULE_ROWS ? h('p', { class: 'note' }, `The first ${MAX_RULE_ROWS} of ${rules.length} rules; edit the others in the model JSON.`) : null,
      decay ? h('div', { class: 'axis-decay' }, this.#number(`${axis === 'fit' ? 'Fit' : 'Engagement'} points halve every (days)`, decay.half_life_days,
        (x, v) => { x[axis].decay.half_life_days = v; }, { min: 1, 'aria-label': `${axis === 'fit' ? 'Fit' : 'Engagement'}: points halve every (days)` }),
      h('span', { class: 'hint' }, 'counted from the last activity; a rule with its own “halves every” uses that instead')) : null);
  }

  #ruleRow(axis, rule, i) {
    const name = rule.label ?? rule.id;
    const set = (key) => (x, v) => { x[axis].rules[i][key] = v; };
    const controls = [];
    if (rule.bands) {
      controls.push(h('details', { class: 'bands' }, h('summary', {}, `By band (${rule.bands.length})`),
        h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'From'), h('th', {}, 'Below'), h('th', {}, 'Points'))),
          h('tbody', {}, rule.bands.map((band, b) => h('tr', {},
            ['at_least', 'below', 'points'].map((key) => h('td', {}, h('input', {
              type: 'number', step: 'any', value: band[key] ?? '', 'aria-label': `${name}, ${band.label ?? `band ${b + 1}`}: ${key.replace('_', ' ')}`,
              onchange: (e) => this.#edit((x) => {
                const target = x[axis].rules[i].bands[b];
                if (e.target.value === '' && key !== 'points') delete target[key];
                else target[key] = Number(e.target.value);
              }),
            })))))))));
    } else if (rule.per_unit !== undefined) {
      controls.push(this.#number('per unit', rule.per_unit, set('per_unit'), { 'aria-label': `Points per unit for ${name}` }),
        this.#number('at most', rule.cap ?? '', (x, v) => { x[axis].rules[i].cap = v; }, { min: 0, 'aria-label': `At most, for ${name}` }));
    } else {
      controls.push(this.#number('points', rule.points ?? 0, set('points'), { 'aria-label': `Points for ${name}` }));
    }
    if (rule.missing_points !== undefined || rule.present) {
      controls.push(this.#number('if missing', rule.missing_points ?? 0, set('missing_points'), { 'aria-label': `Points for ${name} when the lead has no value` }));
    }
    const wordTest = WORD_TESTS.find((test) => Array.isArray(rule[test]));
    if (wordTest) controls.push(this.#words(name, rule[wordTest], (x, list) => { x[axis].rules[i][wordTest] = list; }));
    if (rule.decay && typeof rule.decay === 'object') {
      controls.push(this.#number('halves every (days)', rule.decay.half_life_days,
        (x, v) => { x[axis].rules[i].decay.half_life_days = v; }, { min: 1, 'aria-label': `${name}: points halve every (days)` }));
    }
    const row = h('tr', { dataset: { field: rule.field } },
      h('th', { scope: 'row' }, name, h('span', { class: 'absent-note hint' })),
      h('td', { class: 'rule-controls' }, controls));
    this.#markAbsent(row);
    return row;
  }

  #disqualifiers() {
    const rules = this.#model.disqualifiers ?? [];
    if (!rules.length) return null;
    return h('table', { class: 'rules disqualifiers' },
      h('caption', {}, 'Disqualifiers (a lead that matches is cold)'),
      h('tbody', {}, rules.slice(0, MAX_RULE_ROWS).map((rule, i) => {
        const wordTest = WORD_TESTS.find((test) => Array.isArray(rule[test]));
        const row = h('tr', { dataset: { field: rule.field } },
          h('th', { scope: 'row' }, rule.reason ?? rule.label ?? rule.id, h('span', { class: 'absent-note hint' })),
          h('td', { class: 'rule-controls' }, wordTest
            ? this.#words(rule.label ?? rule.id, rule[wordTest], (x, list) => { x.disqualifiers[i][wordTest] = list; })
            : h('span', { class: 'hint' }, 'no words to edit')));
        this.#markAbsent(row);
        return row;
      })));
  }

  #markAbsent(row) {
    const absent = this.#absent.includes(row.dataset.field);
    row.classList.toggle('inactive', absent);
    row.querySelector('.absent-note').textContent = absent ? ' (not in this list: does not count)' : '';
  }

  #number(label, value, apply, attrs = {}) {
    return h('label', {}, label, h('input', {
      type: 'number', value, step: 'any', ...attrs,
      onchange: (e) => e.target.value !== '' && this.#edit((x) => apply(x, Number(e.target.value))),
    }));
  }

  // A rule's words, one a line: what a title contains, the domains of a list... The box is made
  // when it is opened (a model has hundreds of lists).
  #words(name, list, apply) {
    const details = h('details', { class: 'words' }, h('summary', {}, `Words (${list.length})`));
    details.addEventListener('toggle', () => {
      if (!details.open || details.querySelector('textarea')) return;
      details.append(h('textarea', {
        rows: Math.min(8, Math.max(2, list.length)), 'aria-label': `Words for ${name}, one a line`,
        onchange: (e) => this.#edit((x) => apply(x, e.target.value.split('\n').map((w) => w.trim()).filter(Boolean))),
      }, list.join('\n')));
    });
    return details;
  }

  #edit(change) {
    const next = structuredClone(this.#model);
    change(next);
    this.#propose(next, false);
  }

  #choose(value) {
    if (value.startsWith('saved:')) {
      const id = value.slice('saved:'.length);
      const latest = this.#safely(() => this.#store.versions(id))?.[0];
      if (!latest) return;
      this.#savedId = id;
      this.#propose(structuredClone(latest.model), true);
    } else if (PRESETS[value]) {
      this.#savedId = null;
      this.#propose(presetModel(this.#base, value), true);
    }
  }

  #save(asNew) {
    const id = this.#safely(() => this.#store.save(this.#model, asNew ? null : this.#savedId));
    if (!id) return;
    this.#savedId = id;
    this.#keepWorking();
    this.#render();
    this.#status();
  }

  #delete(button) {
    if (!this.#confirmDelete) {
      this.#confirmDelete = true;
      button.textContent = 'Delete it and its versions?';
      return;
    }
    this.#confirmDelete = false;
    this.#safely(() => this.#store.remove(this.#savedId));
    this.#savedId = null;
    this.#keepWorking();
    this.#render();
  }

  async #import(file) {
    if (!file) return;
    this.json.value = await file.text();
    this.closest('details')?.setAttribute('open', '');
    this.querySelector('details:last-of-type')?.setAttribute('open', '');
    this.#savedId = null;
    this.#jsonEdited(true, true);  // an imported model is shown (its name, its rules) once accepted
  }

  #export() {
    const name = (this.#model.name ?? 'leadscore-model').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'leadscore-model';
    download(new Blob([JSON.stringify(this.#model, null, 2) + '\n'], { type: 'application/json' }), `${name}.json`);
  }

  #jsonEdited(now = false, rerender = false) {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      const text = this.json.value;
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const errors = await this.#check(text);
      this.#showErrors(errors);
      if (!errors.length && parsed) this.#accept(parsed, rerender);
    }, now ? 0 : 400);
  }

  async #propose(model, rerender) {
    const errors = await this.#check(model);
    this.#showErrors(errors);
    if (!errors.length) this.#accept(model, rerender);
  }

  #accept(model, rerender) {
    this.#model = model;
    this.#keepWorking();
    // A whole new model is drawn again; a field's edit keeps the form (and the focus) as it is.
    if (rerender) this.#render();
    else {
      this.json.value = JSON.stringify(model, null, 2);
      this.querySelector('.model-head')?.replaceWith(this.#bar());  // which model this now is
      this.#status();
    }
    this.dispatchEvent(new CustomEvent('model-change', { detail: model, bubbles: true }));
  }

  #keepWorking() {
    if (this.#store.available) this.#safely(() => this.#store.setWorking(this.#model, this.#savedId));
  }

  #showErrors(errors) {
    replace(this.errors, errors.map((e) => h('li', { class: 'error' },
      h('code', {}, e.code), ' ', e.jsonPath ? h('code', {}, e.jsonPath) : `line ${e.line}, column ${e.column}`, ': ', e.message)));
  }
}

customElements.get('lead-model') || customElements.define('lead-model', LeadModelElement);
