// <lead-learn>: for a list that says how its leads ended (Converted, Lead Status...): back-test
// the model in force, or learn a points model from the outcomes in the worker, see its
// cross-validated AUC, conversion by temperature and its points, then use it.
import { h, s, replace, formatCount, formatPercent } from '../dom.mjs';
import { transitionWords } from '../words.mjs';

const TEMPERATURES = ['hot', 'warm', 'cold'];
// Learning holds the whole list in memory, cell by cell: a larger file is learned from its start
// (a few hundred thousand leads, plenty for a regression), and the page says so.
const LEARN_MAX_BYTES = 64 * 2 ** 20;
const percent = (share) => (share === null || share === undefined ? '–' : formatPercent(share * 100));

/** What an AUC means, for people who do not use the word. */
export function aucWords(auc) {
  if (auc === null || auc === undefined) return 'Not enough leads of both outcomes to measure how well the scores rank them.';
  const verdict = auc >= 0.9 ? 'excellent' : auc >= 0.8 ? 'strong' : auc >= 0.7 ? 'useful' : auc >= 0.6 ? 'weak' : 'no better than chance';
  return `Take a lead that converted and one that did not: ${Math.round(auc * 100)} times in 100 the one that converted scores higher ` +
    `(50 would be a coin toss). That is ${verdict}.`;
}

/** Conversion per temperature as three bars (SVG: the page's CSP allows no style attributes). */
function conversionBars(byTemperature) {
  const width = 240;
  return s('svg', { class: 'conversion', viewBox: `0 0 ${width + 170} 72`, role: 'img', 'aria-label': 'Conversion by temperature' },
    TEMPERATURES.map((t, i) => {
      const g = byTemperature[t];
      const w = Math.max(1, Math.round((g.rate ?? 0) * width));
      return s('g', {},
        s('text', { x: 0, y: 16 + i * 22, class: 'axis-label' }, t),
        s('rect', { x: 44, y: 4 + i * 22, width: w, height: 16, class: `bar ${t}` }),
        s('text', { x: 50 + w, y: 16 + i * 22, class: 'axis-label' }, `${percent(g.rate)} of ${formatCount(g.leads)}`));
    }));
}

/** The lift chart: conversion in each tenth of the leads by score, best first. */
function decileChart(deciles) {
  const height = 90, step = 30;
  const top = Math.max(0.01, ...deciles.map((d) => d.rate ?? 0));
  return s('svg', { class: 'deciles', viewBox: `0 0 ${deciles.length * step + 10} ${height + 30}`, role: 'img',
    'aria-label': 'Conversion by score decile, best first' },
  deciles.map((d, i) => {
    const h = Math.max(1, Math.round(((d.rate ?? 0) / top) * height));
    return s('g', {},
      s('rect', { x: 5 + i * step, y: height - h, width: step - 6, height: h, class: 'bar decile' },
        s('title', {}, `Decile ${d.decile}: ${percent(d.rate)} of ${formatCount(d.leads)} converted`)),
      s('text', { x: 5 + i * step + (step - 6) / 2, y: height + 14, 'text-anchor': 'middle', class: 'axis-label' }, String(d.decile)));
  }));
}

/** The rules of a learned model, strongest first: what the points say about the list. */
function pointsTable(model) {
  const rows = [];
  for (const axis of ['fit', 'engagement']) {
    for (const rule of model[axis]?.rules ?? []) {
      if (rule.id.startsWith('base_')) continue;
      const points = rule.bands ? rule.bands.map((b) => b.points) : [rule.points ?? 0, rule.missing_points ?? 0];
      const strongest = points.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
      const shown = rule.bands ? `${Math.min(...points)} to ${Math.max(...points)} by value` : `${strongest > 0 ? '+' : ''}${strongest}`;
      rows.push({ label: rule.label, axis, strongest, shown });
    }
  }
  rows.sort((a, b) => Math.abs(b.strongest) - Math.abs(a.strongest));
  return h('table', { class: 'rules learned' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Axis'), h('th', {}, 'Points'))),
    h('tbody', {}, rows.slice(0, 15).map((r) => h('tr', {}, h('th', { scope: 'row' }, r.label), h('td', {}, r.axis), h('td', {}, r.shown)))));
}

export class LeadLearnElement extends HTMLElement {
  #source = null;
  #actions = null;
  #keep = new Set();

  /** source: the list's File (null for a generated one); summary; actions: {learn, backtest, use}. */
  /** Puts the focus on the first control (the page's nudge leads here). */
  focusStart() {
    this.querySelector('#learn')?.focus();
  }

  configure({ source, summary, actions }) {
    this.#source = source;
    this.#actions = actions;
    this.#keep.clear();
    const headers = summary.mapping.columns.map((c) => c.header);
    this.outcome = h('select', { 'aria-label': 'Outcome column', name: 'outcome' },
      h('option', { value: '' }, '— choose the column that says who converted —'),
      headers.map((header) => h('option', { value: header, selected: header === summary.outcome?.column }, header)));
    this.output = h('div', { class: 'learn-output', 'aria-live': 'polite' });
    replace(this,
      h('p', { class: 'hint' }, summary.outcome
        ? `“${summary.outcome.column}” says how each lead ended: back-test the model in force on it, or learn a model from it.`
        : 'Pick the column that says how each lead ended (Converted, Closed Won, Lifecycle Stage = Customer...).'),
      h('div', { class: 'model-bar' },
        h('label', {}, 'Outcome ', this.outcome),
        h('button', { type: 'button', id: 'backtest', onclick: () => this.#run('backtest') }, 'Back-test the model in force'),
        h('button', { type: 'button', id: 'learn', class: 'primary', onclick: () => this.#run('learn') }, 'Learn a model from outcomes')),
      this.output);
  }

  async #run(what) {
    if (!this.#source) return;
    const outcome = this.outcome.value || undefined;
    const status = h('p', { class: 'note', id: 'learn-progress' }, what === 'learn' ? 'Learning: reading the list…' : 'Back-testing…');
    replace(this.output, status);
    try {
      if (what === 'learn') {
        const onProgress = ({ step, steps }) => {
          status.textContent = step < steps ? `Learning: fold ${step} of ${steps - 1} cross-validated…` : 'Learning: the final model…';
        };
        const part = this.#source.size > LEARN_MAX_BYTES ? this.#source.slice(0, LEARN_MAX_BYTES) : this.#source;
        const learned = await this.#actions.learn(part, { outcome, keep: [...this.#keep] }, onProgress);
        this.#showLearned(learned);
        if (part !== this.#source) {
          this.output.prepend(h('p', { class: 'note' }, `Learned from the first ${formatCount(LEARN_MAX_BYTES / 2 ** 20)} MB of the file ` +
            `(${formatCount(learned.report.rows)} leads): learning holds its leads in memory, and that many are plenty.`));
        }
      } else {
        this.#showBacktest(await this.#actions.backtest(this.#source, { outcome }));
      }
    } catch (error) {
      replace(this.output, h('p', { class: 'error', role: 'alert' }, String(error.message ?? error), ' ', h('code', {}, error.code ?? 'internal')));
    }
  }

  #showBacktest({ outcome, report }) {
    replace(this.output,
      h('p', { class: 'learn-figures' }, `The model in force on “${outcome.column}”: AUC `,
        h('strong', { class: 'auc' }, report.auc === null ? '–' : report.auc.toFixed(3)),
        `, hot leads convert ${report.lift_hot_over_cold === null ? '–' : `${report.lift_hot_over_cold.toFixed(1)}×`} as often as cold ones (${formatCount(report.leads)} leads with an outcome, ${formatCount(report.unknown)} without).`),
      h('p', { class: 'auc-words' }, aucWords(report.auc)),
      conversionBars(report.by_temperature),
      h('p', { class: 'hint' }, 'Conversion by score decile, best first: ', report.deciles.map((d) => percent(d.rate)).join(' · ')),
      decileChart(report.deciles));
  }

  #showLearned({ model, report }) {
    const cv = report.cv;
    const leakage = report.leakage.length
      ? h('fieldset', { class: 'leakage' },
        h('legend', {}, 'Left out as filled after contact (their values know the outcome). Tick to keep one, then learn again:'),
        h('div', { class: 'keeps' }, report.leakage.map((l) => h('label', { class: 'keep' },
          h('input', { type: 'checkbox', checked: l.kept, onchange: (e) => (e.target.checked ? this.#keep.add(l.header) : this.#keep.delete(l.header)) }),
          ` ${l.header}`))))
      : null;
    replace(this.output,
      h('p', { class: 'learn-figures' }, `Learned from ${formatCount(report.rows)} leads (${formatCount(report.converted)} converted). ${report.folds}-fold cross-validated AUC `,
        h('strong', { class: 'auc' }, cv.auc_points === null ? '–' : cv.auc_points.toFixed(3)),
        ` for the points model (${cv.auc === null ? '–' : cv.auc.toFixed(3)} before rounding); hot leads convert `,
        h('strong', { class: 'lift' }, cv.lift_hot_over_cold === null ? '–' : `${cv.lift_hot_over_cold.toFixed(1)}×`), ' as often as cold ones.'),
      h('p', { class: 'auc-words' }, aucWords(cv.auc_points), ' Measured on leads the model did not learn from.'),
      conversionBars(cv.by_temperature),
      h('p', { class: 'hint' }, 'Cross-validated conversion by score decile, best first (the lift chart):'),
      decileChart(cv.deciles),
      leakage,
      pointsTable(model),
      h('div', { class: 'model-bar' },
        h('button', { type: 'button', id: 'use-learned', class: 'primary', onclick: () => this.#actions.use(model) }, 'Use this model'),
        h('button', { type: 'button', id: 'compare-learned', onclick: () => this.#compare(model) }, 'Compare with the model in force')),
      this.comparison = h('div', { class: 'comparison', 'aria-live': 'polite' }));
  }

  // Both models back-tested on this list, side by side, and the leads that would change temperature.
  async #compare(learned) {
    replace(this.comparison, h('p', { class: 'note' }, 'Back-testing both models…'));
    try {
      const { report: before, compare } = await this.#actions.backtest(this.#source, { outcome: this.outcome.value || undefined, compare: learned });
      const after = compare.report;
      const row = (label, f) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, f(before)), h('td', {}, f(after)));
      const auc = (r) => (r.auc === null ? '–' : r.auc.toFixed(3));
      const lift = (r) => (r.lift_hot_over_cold === null ? '–' : `${r.lift_hot_over_cold.toFixed(1)}×`);
      const moves = transitionWords(compare.changes.transitions);
      replace(this.comparison,
        h('table', { class: 'rules learned compare' },
          h('thead', {}, h('tr', {}, h('th', {}, 'On this list'), h('th', {}, 'Model in force'), h('th', {}, 'Learned model'))),
          h('tbody', {},
            row('AUC', auc),
            row('Hot leads that converted', (r) => `${percent(r.by_temperature.hot.rate)} of ${formatCount(r.by_temperature.hot.leads)}`),
            row('Cold leads that converted', (r) => `${percent(r.by_temperature.cold.rate)} of ${formatCount(r.by_temperature.cold.leads)}`),
            row('Lift of hot over cold', lift),
            row('Converters caught as hot (recall)', (r) => percent(r.hot.recall)))),
        h('p', { class: 'changed' }, `${formatCount(compare.changes.changed)} leads would change temperature${moves ? ` (${moves})` : ''}.`),
        h('p', { class: 'hint' }, 'The learned model is measured here on the leads it learned from; its cross-validated figures above are the fair ones.'));
    } catch (error) {
      replace(this.comparison, h('p', { class: 'error', role: 'alert' }, String(error.message ?? error), ' ', h('code', {}, error.code ?? 'internal')));
    }
  }
}

customElements.get('lead-learn') || customElements.define('lead-learn', LeadLearnElement);
