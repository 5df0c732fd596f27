// Embeddable scoring widgets for internal portals, one ES module:
//   <lead-score-form model="#my-model" theme="auto" compact>  scores one lead live as it is typed
//   <lead-scorer model="#my-model">                           the whole list scorer of the page
// Shadow DOM, themable with CSS custom properties (--lead-hot, --lead-warm, --lead-cold, --lead-bg,
// --lead-fg, --lead-accent, --lead-font) and ::part(form|field|badge|score|bars|reasons|next).
// Every widget on a page shares one scoring worker (one WebAssembly instance).
// With allow-origins="https://portal.example ...", a form also answers postMessage requests from
// those origins (see docs/embedding.md); messages from any other origin are ignored.
import { scorerClient, loadModelAttribute } from './engine.mjs';
import { h, replace, formatScore } from './dom.mjs';
import './components/lead-scorer.mjs';

const SHEET = new CSSStyleSheet();
SHEET.replaceSync(`
:host { display: block; font-family: var(--lead-font, system-ui, sans-serif); color: var(--lead-fg, #1f2933);
  background: var(--lead-bg, #fff); border: 1px solid var(--lead-line, #d9e2ec); border-radius: 10px; padding: 1rem;
  --hot: var(--lead-hot, #c92a2a); --warm: var(--lead-warm, #c2410c); --cold: var(--lead-cold, #1864ab); }
:host([theme="dark"]) { --lead-bg: #1b1f24; --lead-fg: #e6edf3; --lead-line: #30363d; }
@media (prefers-color-scheme: dark) { :host([theme="auto"]) { --lead-bg: #1b1f24; --lead-fg: #e6edf3; --lead-line: #30363d; } }
[hidden] { display: none !important; }
form { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .6rem .9rem; }
:host([compact]) form { grid-template-columns: 1fr; gap: .35rem; }
label { display: grid; gap: .15rem; font-size: .85rem; }
label.check { display: flex; gap: .4rem; align-items: center; }
input { font: inherit; padding: .3rem .45rem; border: 1px solid var(--lead-line, #d9e2ec); border-radius: 6px;
  background: transparent; color: inherit; }
.result { display: grid; grid-template-columns: auto 1fr; gap: .4rem 1rem; align-items: center; margin-top: 1rem; }
:host([compact]) .result { grid-template-columns: 1fr; }
.badge { font-weight: 700; border-radius: 999px; padding: .2rem .8rem; color: #fff; text-transform: uppercase;
  letter-spacing: .05em; text-align: center; }
.badge.hot { background: var(--hot); } .badge.warm { background: var(--warm); } .badge.cold { background: var(--cold); }
.score { font-size: 1.6rem; font-weight: 700; }
.bars { grid-column: 1 / -1; display: grid; grid-template-columns: 6rem 1fr 3rem; gap: .25rem .5rem; font-size: .85rem; align-items: center; }
.bar { height: .55rem; background: var(--lead-line, #d9e2ec); border-radius: 4px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--lead-accent, #0b7285); }
.reasons { grid-column: 1 / -1; margin: 0; padding-left: 1.1rem; font-size: .85rem; }
.next { grid-column: 1 / -1; margin: 0; font-size: .9rem; }
.error { color: var(--hot); }
.empty { grid-column: 1 / -1; margin: 0; opacity: .8; font-style: italic; }
details.more { grid-column: 1 / -1; }
details.more summary { cursor: pointer; font-size: .85rem; }
.more-fields { display: grid; gap: .35rem; margin-top: .35rem; }
`);

// A compact form shows the fields worth most points; the others wait behind "More fields".
const COMPACT_FIELDS = 8;

/** The most points any rule of `model` gives or takes for each field. */
function weightsOf(model) {
  const weight = new Map();
  const add = (field, points) => field && weight.set(field, Math.max(weight.get(field) ?? 0, Math.abs(points ?? 0)));
  for (const axis of ['fit', 'engagement']) {
    for (const rule of model[axis]?.rules ?? []) {
      const banded = (rule.bands ?? []).map((b) => b.points);
      add(rule.field, Math.max(Math.abs(rule.points ?? 0), Math.abs(rule.missing_points ?? 0), Math.abs(rule.cap ?? rule.per_unit ?? 0), ...banded.map(Math.abs)));
      add(rule.decay?.date_field ?? model[axis]?.decay?.date_field, 1);
    }
  }
  for (const rule of model.disqualifiers ?? []) add(rule.field, 100);
  return weight;
}

/** Lead fields worth a form input, in the model's order: every rule's field and decay date. */
function fieldsOf(model) {
  const names = [];
  const add = (name) => name && !name.startsWith('column:') && !names.includes(name) && names.push(name);
  for (const axis of ['fit', 'engagement']) {
    add(model[axis]?.decay?.date_field);
    for (const rule of model[axis]?.rules ?? []) {
      add(rule.field);
      add(rule.decay?.date_field);
    }
  }
  for (const rule of model.disqualifiers ?? []) add(rule.field);
  return names;
}

export class LeadScoreFormElement extends HTMLElement {
  static get observedAttributes() {
    return ['model', 'lead'];
  }

  #root;
  #modelText = null;   // JSON text of the model in force (null: built-in)
  #model = null;       // the same, parsed
  #fields = [];        // [{name, label, kind}]
  #value = {};
  #timer = 0;
  #sequence = 0;
  #result = null;
  #connected = false;
  #onMessage = (event) => this.#message(event);

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [SHEET];
  }

  async connectedCallback() {
    this.#connected = true;
    if (this.hasAttribute('lead')) this.#value = this.#parseLead(this.getAttribute('lead'));
    if (this.hasAttribute('allow-origins')) window.addEventListener('message', this.#onMessage);
    await this.#load();
  }

  disconnectedCallback() {
    this.#connected = false;
    window.removeEventListener('message', this.#onMessage);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#connected || old === value) return;
    if (name === 'lead') {
      this.#value = this.#parseLead(value);
      this.#renderForm();
      this.#schedule(0);
    } else {
      this.#load();
    }
  }

  /** The model in force (a plain object). Setting it re-renders the form and scores again. */
  get model() {
    return this.#model;
  }

  set model(model) {
    this.#load(typeof model === 'string' ? model : JSON.stringify(model));
  }

  /** The lead as typed: {field: value}. Setting it fills the form and scores it. */
  get value() {
    return { ...this.#value };
  }

  set value(lead) {
    this.#value = { ...(lead ?? {}) };
    this.#renderForm();
    this.#schedule(0);
  }

  /** The last result (the lead's explanation), or null. */
  get result() {
    return this.#result;
  }

  /** Scores `lead` with this widget's model without changing the form. */
  async score(lead) {
    const { client, ready } = scorerClient();
    await ready;
    return client.scoreLead(lead, { model: this.#modelText ?? undefined });
  }

  async #load(text) {
    try {
      const { client, ready } = scorerClient();
      const info = await ready;
      this.#modelText = text ?? (await loadModelAttribute(this.getAttribute('model')));
      const errors = this.#modelText ? await client.checkModel(this.#modelText) : [];
      if (errors.length) throw new Error(`model: ${errors[0].jsonPath ?? ''} ${errors[0].message}`);
      this.#model = this.#modelText ? JSON.parse(this.#modelText) : info.defaultModel;
      const known = new Map(info.fields.map((f) => [f.name, f]));
      this.#fields = fieldsOf(this.#model).map((name) => known.get(name) ?? { name, label: name, kind: 'text' });
      this.#renderForm();
      this.#schedule(0);
    } catch (error) {
      replace(this.#root, h('p', { class: 'error', part: 'error', role: 'alert' }, String(error.message ?? error)));
    }
  }

  #parseLead(text) {
    try {
      const lead = JSON.parse(text || '{}');
      return lead && typeof lead === 'object' ? lead : {};
    } catch {
      return {};
    }
  }

  #renderForm() {
    const inputs = this.#fields.map((field) => {
      const current = this.#value[field.name];
      const onInput = (event) => {
        const input = event.target;
        if (input.type === 'checkbox') this.#value[field.name] = input.checked ? 'yes' : 'no';
        else if (input.value === '') delete this.#value[field.name];
        else this.#value[field.name] = input.value;
        this.#schedule(120);
      };
      if (field.kind === 'boolean') {
        return h('label', { class: 'check', part: 'field' },
          h('input', { type: 'checkbox', name: field.name, checked: /^(yes|true|1|x)$/i.test(String(current ?? '')), onchange: onInput }),
          field.label);
      }
      const type = field.kind === 'date' ? 'date' : field.kind === 'email' ? 'email' : 'text';
      return h('label', { part: 'field' }, field.label,
        h('input', {
          type, name: field.name, value: current ?? '', oninput: onInput,
          inputmode: field.kind === 'number' ? 'decimal' : undefined, autocomplete: 'off',
        }));
    });
    this.output = h('div', { class: 'result', part: 'result', 'aria-live': 'polite' });
    let shown = inputs;
    let more = null;
    if (this.hasAttribute('compact') && inputs.length > COMPACT_FIELDS) {
      const weight = weightsOf(this.#model);
      const kept = new Set([...this.#fields.keys()]
        .sort((a, b) => (weight.get(this.#fields[b].name) ?? 0) - (weight.get(this.#fields[a].name) ?? 0))
        .slice(0, COMPACT_FIELDS));
      shown = inputs.filter((_, i) => kept.has(i));
      const rest = inputs.filter((_, i) => !kept.has(i));
      const filled = (input) => (input.type === 'checkbox' ? input.checked : input.value !== '');
      more = h('details', { class: 'more', part: 'more', open: rest.some((label) => filled(label.querySelector('input'))) },
        h('summary', {}, `More fields (${rest.length})`), h('div', { class: 'more-fields' }, rest));
    }
    replace(this.#root, h('form', { part: 'form', onsubmit: (e) => e.preventDefault() }, shown, more), this.output);
    this.dataset.ready = '1';
  }

  #schedule(delay) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#scoreNow(), delay);
  }

  async #scoreNow() {
    const sequence = ++this.#sequence;
    if (!Object.values(this.#value).some((v) => String(v).trim() && v !== 'no')) {
      // Nothing typed yet: a verdict on an empty lead would only say "cold".
      this.#result = null;
      replace(this.output, h('p', { class: 'empty', part: 'empty' }, 'Fill in a field to score this lead.'));
      return;
    }
    try {
      const result = await this.score(this.#value);
      if (sequence !== this.#sequence) return;
      this.#result = result;
      this.#renderResult(result);
      this.dispatchEvent(new CustomEvent('lead-scored', { detail: result, bubbles: true, composed: true }));
    } catch (error) {
      replace(this.output, h('p', { class: 'error', role: 'alert' }, String(error.message ?? error)));
    }
  }

  #renderResult(r) {
    const bar = (label, axis) => [
      h('span', {}, label),
      h('span', { class: 'bar' }, h('span', { style: { width: `${axis.measured ? axis.score : 0}%` } })),
      h('span', {}, axis.measured ? formatScore(axis.score) : '–'),
    ];
    const reasons = r.hits.filter((hit) => hit.counted && hit.points !== 0).slice(0, 5);
    replace(this.output,
      h('span', { class: `badge ${r.temperature}`, part: 'badge', dataset: { temperature: r.temperature } }, r.temperature),
      h('span', { class: 'score', part: 'score' }, formatScore(r.score)),
      h('div', { class: 'bars', part: 'bars' }, bar('Fit', r.fit), bar('Engagement', r.engagement)),
      r.disqualified && h('p', { class: 'next error' }, `Disqualified: ${r.disqualified.reason}`),
      h('ul', { class: 'reasons', part: 'reasons' },
        reasons.map((hit) => h('li', {}, `${hit.label} (${hit.points > 0 ? '+' : ''}${formatScore(hit.points)})`))),
      h('p', { class: 'next', part: 'next' }, h('strong', {}, 'Next: '), r.next_action),
      r.to_hot?.actions?.length ? h('p', { class: 'next' }, 'Would be hot with: ', r.to_hot.actions.map((a) => a.change).join('; ')) : null);
  }

  // The iframe protocol: {type: 'leadscore:score', id, lead} -> {type: 'leadscore:result', id, result};
  // {type: 'leadscore:model', id, model} -> {type: 'leadscore:model-loaded', id}. Errors answer
  // {type: 'leadscore:error', id, error}. Only origins listed in allow-origins are answered.
  async #message(event) {
    const data = event.data;
    if (!data || typeof data.type !== 'string' || !data.type.startsWith('leadscore:')) return;
    const allowed = (this.getAttribute('allow-origins') ?? '').split(/\s+/).filter(Boolean);
    if (!allowed.includes(event.origin)) {
      this.dispatchEvent(new CustomEvent('lead-message-rejected', { detail: { origin: event.origin }, bubbles: true, composed: true }));
      return;
    }
    const reply = (message) => event.source?.postMessage({ ...message, id: data.id }, event.origin);
    try {
      if (data.type === 'leadscore:score') {
        this.value = data.lead ?? {};
        reply({ type: 'leadscore:result', result: await this.score(data.lead ?? {}) });
      } else if (data.type === 'leadscore:model') {
        await this.#load(typeof data.model === 'string' ? data.model : JSON.stringify(data.model));
        reply({ type: 'leadscore:model-loaded' });
      }
    } catch (error) {
      reply({ type: 'leadscore:error', error: { code: error.code ?? 'internal', message: String(error.message ?? error) } });
    }
  }
}

customElements.get('lead-score-form') || customElements.define('lead-score-form', LeadScoreFormElement);
