// <lead-summary>: cards per temperature, the score histogram (each bar split by temperature, since
// a lead held back from hot can score as high as a hot one), temperature by lead source and the
// fit x engagement grid, each with its legend, all drawn locally (SVG and plain elements).
import { h, s, replace, formatCount, formatPercent, TEMPERATURES } from '../dom.mjs';

export class LeadSummaryElement extends HTMLElement {
  set summary(summary) {
    this.render(summary);
  }

  render(summary) {
    const cards = h('div', { class: 'cards' },
      TEMPERATURES.map((t) => {
        const { count, share_percent: share } = summary.temperatures[t];
        return h('div', { class: `card ${t}`, role: 'group', 'aria-label': `${t} leads` },
          h('div', { class: 'card-label' }, t.toUpperCase()),
          h('div', { class: 'card-count', 'data-temperature': t }, formatCount(count)),
          h('div', { class: 'card-share' }, `${formatPercent(share)} of ${formatCount(summary.rows)}`));
      }));
    const measured = summary.model.fit?.measured !== false && summary.model.engagement?.measured !== false;
    replace(this, cards,
      h('div', { class: 'charts' },
        chart('Score distribution', histogram(summary.histogram), legend()),
        chart('Temperature by lead source', bySource(summary.by_source), legend()),
        chart('Fit × engagement', measured ? grid(summary.grid)
          : h('p', { class: 'empty' }, `Not drawn: the list has no ${summary.model.fit?.measured === false ? 'fit' : 'engagement'} columns, so every lead has the same grade there.`))));
  }
}

function chart(title, body, key) {
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), body, key);
}

function legend() {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' },
    TEMPERATURES.map((t) => h('li', {}, h('span', { class: `swatch ${t}` }), t[0].toUpperCase() + t.slice(1))));
}

function histogram(bins) {
  const width = 300, height = 130, gap = 4;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const barWidth = width / bins.length - gap;
  const said = (b) => `Score ${b.from}–${b.to}: ${formatCount(b.count)} leads (${TEMPERATURES.map((t) => `${formatCount(b[t] ?? 0)} ${t}`).join(', ')})`;
  return s('svg', { class: 'histogram', viewBox: `0 0 ${width} ${height + 30}`, role: 'img',
    'aria-label': `Leads by score, each bar split by temperature. ${bins.map(said).join('. ')}.` },
  bins.map((b, i) => {
    const x = i * (barWidth + gap);
    let top = height;
    // Cold at the foot, hot on top.
    const parts = [...TEMPERATURES].reverse().map((t) => {
      const partHeight = ((b[t] ?? 0) / max) * height;
      top -= partHeight;
      return partHeight > 0 ? s('rect', { x, y: top, width: barWidth, height: partHeight, class: `bar ${t}` }) : null;
    });
    return s('g', {}, s('title', {}, said(b)), parts,
      s('text', { x: x + barWidth / 2, y: height + 13, class: 'axis', 'text-anchor': 'middle' }, String(b.from)));
  }),
  s('text', { x: width / 2, y: height + 27, class: 'axis', 'text-anchor': 'middle' }, 'score'));
}

function bySource(sources) {
  if (!sources.length || (sources.length === 1 && sources[0].source === '(none)')) {
    return h('p', { class: 'empty' }, 'The list has no lead source column.');
  }
  const top = sources.slice(0, 8);
  return h('div', { class: 'sources' },
    top.map((src) => h('div', { class: 'source' },
      h('span', { class: 'source-name', title: src.source }, src.source),
      h('span', { class: 'stack', role: 'img', 'aria-label': `${src.source}: ${src.hot} hot, ${src.warm} warm, ${src.cold} cold` },
        TEMPERATURES.map((t) => h('span', { class: `segment ${t}`, style: { 'flex-grow': src[t] } }))),
      h('span', { class: 'source-total' }, formatCount(src.total)))));
}

function grid(cells) {
  const rows = ['A', 'B', 'C'];
  const cols = ['1', '2', '3'];
  const known = Object.keys(cells);
  const max = Math.max(1, ...Object.values(cells));
  if (!known.every((k) => rows.includes(k[0]) && cols.includes(k.slice(1)))) {
    return h('div', { class: 'grades' }, known.sort().map((k) => h('span', {}, `${k}: ${formatCount(cells[k])}`)));
  }
  return h('div', {},
    h('table', { class: 'grid' },
      h('caption', { class: 'visually-hidden' }, 'Leads by fit grade (rows, A the best fit) and engagement grade (columns, 1 the most engaged)'),
      h('tr', {}, h('td', {}), cols.map((c) => h('th', { scope: 'col' }, `Engagement ${c}`))),
      rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, `Fit ${r}`),
        cols.map((c) => {
          const n = cells[r + c] ?? 0;
          return h('td', { style: { '--share': n / max } }, formatCount(n));
        })))),
    h('p', { class: 'hint grid-key' }, 'A: the best fit, C: the weakest. 1: the most engaged, 3: the least. A1 leads are the ones to call first.'));
}

customElements.get('lead-summary') || customElements.define('lead-summary', LeadSummaryElement);
