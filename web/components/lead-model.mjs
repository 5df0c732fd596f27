// <lead-model>: the model sales and marketing agree on. Presets; thresholds, weights and points as
// form controls; the raw JSON with inline validation errors; import and export as a file.
// Emits `model-change` with a valid model (an object) after each edit.
import { h, replace, download } from '../dom.mjs';

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

export class LeadModelElement extends HTMLElement {
  #base = null;       // the built-in model
  #model = null;      // the model in force
  #check = null;      // async (model) -> errors[]

  /** base: the built-in model; check(model) -> errors (the scorer's checkModel). */
  configure({ base, check }) {
    this.#base = base;
    this.#check = check;
    this.#model = structuredClone(base);
    this.#render();
  }

  get model() {
    return this.#model;
  }

  #render() {
    const m = this.#model;
    const seg = m.segments ?? {};
    this.json = h('textarea', {
      class: 'json', rows: 18, spellcheck: 'false', 'aria-label': 'Model JSON', 'aria-describedby': 'model-errors',
      oninput: () => this.#jsonEdited(),
    });
    this.json.value = JSON.stringify(m, null, 2);
    this.errors = h('ul', { id: 'model-errors', class: 'errors', 'aria-live': 'polite' });
    const number = (label, value, onchange, attrs = {}) => h('label', {},
      label, h('input', { type: 'number', value, step: 'any', ...attrs, onchange: (e) => onchange(Number(e.target.value)) }));
    const thresholds = seg.method === 'matrix'
      ? h('p', {}, 'This model uses a fit × engagement matrix; edit it in the JSON below.')
      : h('div', { class: 'thresholds' },
          number('Warm from', seg.warm ?? 30, (v) => this.#edit((x) => { x.segments.warm = v; }), { min: 0, max: 100, name: 'warm' }),
          number('Hot from', seg.hot ?? 60, (v) => this.#edit((x) => { x.segments.hot = v; }), { min: 0, max: 100, name: 'hot' }),
          number('Hot needs fit ≥', seg.hot_requires?.fit ?? 0,
            (v) => this.#edit((x) => { x.segments.hot_requires = { ...x.segments.hot_requires, fit: v }; }), { min: 0, max: 100 }),
          number('and engagement ≥', seg.hot_requires?.engagement ?? 0,
            (v) => this.#edit((x) => { x.segments.hot_requires = { ...x.segments.hot_requires, engagement: v }; }), { min: 0, max: 100 }),
          number('Fit weight', seg.weights?.fit ?? 0.5,
            (v) => this.#edit((x) => { x.segments.weights = { ...x.segments.weights, fit: v }; }), { min: 0 }),
          number('Engagement weight', seg.weights?.engagement ?? 0.5,
            (v) => this.#edit((x) => { x.segments.weights = { ...x.segments.weights, engagement: v }; }), { min: 0 }));
    const rules = (axis) => h('table', { class: 'rules' },
      h('caption', {}, axis === 'fit' ? 'Fit rules' : 'Engagement rules'),
      h('tbody', {}, (m[axis]?.rules ?? []).map((rule, i) => h('tr', {},
        h('th', { scope: 'row' }, rule.label ?? rule.id),
        h('td', {}, rule.bands
          ? 'bands (edit in JSON)'
          : number(rule.per_unit !== undefined ? 'per unit' : 'points', rule.per_unit ?? rule.points,
              (v) => this.#edit((x) => { x[axis].rules[i][rule.per_unit !== undefined ? 'per_unit' : 'points'] = v; }),
              { 'aria-label': `Points for ${rule.label ?? rule.id}` }))))));
    const presets = h('select', { 'aria-label': 'Preset', onchange: (e) => this.#preset(e.target.value) },
      Object.entries(PRESETS).map(([key, p]) => h('option', { value: key }, p.label)));
    const file = h('input', { type: 'file', accept: '.json,application/json', hidden: true, onchange: (e) => this.#import(e.target.files[0]) });
    replace(this,
      h('div', { class: 'model-bar' },
        h('label', {}, 'Preset ', presets),
        h('button', { type: 'button', onclick: () => file.click() }, 'Import model…'), file,
        h('button', { type: 'button', onclick: () => this.#export() }, 'Export model')),
      h('p', { class: 'model-name' }, m.name ?? ''),
      thresholds,
      this.errors,
      h('div', { class: 'rule-tables' }, rules('fit'), rules('engagement')),
      h('details', {}, h('summary', {}, 'Model JSON (the shared definition)'), this.json));
  }

  #edit(change) {
    const next = structuredClone(this.#model);
    change(next);
    this.#propose(next, true);
  }

  #preset(key) {
    const next = structuredClone(this.#base);
    PRESETS[key].apply(next);
    this.#propose(next, true);
  }

  async #import(file) {
    if (!file) return;
    this.json.value = await file.text();
    this.closest('details')?.setAttribute('open', '');
    this.querySelector('details')?.setAttribute('open', '');
    this.#jsonEdited(true, true);  // an imported model is shown (its name, its rules) once accepted
  }

  #export() {
    download(new Blob([JSON.stringify(this.#model, null, 2) + '\n'], { type: 'application/json' }), 'leadscore-model.json');
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
    if (rerender) this.#render();
    this.dispatchEvent(new CustomEvent('model-change', { detail: model, bubbles: true }));
  }

  #showErrors(errors) {
    replace(this.errors, errors.map((e) => h('li', { class: 'error' },
      h('code', {}, e.code), ' ', e.jsonPath ? h('code', {}, e.jsonPath) : `line ${e.line}, column ${e.column}`, ': ', e.message)));
  }
}

customElements.get('lead-model') || customElements.define('lead-model', LeadModelElement);
