// <lead-summary>: cards per temperature, the score histogram, temperature by lead source and the
// fit x engagement grid, all drawn locally (SVG and plain elements).
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
    replace(this, cards,
      h('div', { class: 'charts' },
        chart('Score distribution', histogram(summary.histogram, summary.model.segments)),
        chart('Temperature by lead source', bySource(summary.by_source)),
        chart('Fit × engagement', grid(summary.grid))));
  }
}

function chart(title, body) {
  return h('figure', { class: 'chart' }, h('figcaption', {}, title), body);
}

function histogram(bins, { method, warm, hot }) {
  const width = 300, height = 130, gap = 4;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const barWidth = width / bins.length - gap;
  return s('svg', { viewBox: `0 0 ${width} ${height + 18}`, role: 'img', 'aria-label': 'Histogram of lead scores' },
    bins.map((b, i) => {
      const barHeight = (b.count / max) * height;
      const x = i * (barWidth + gap);
      // Bars take the colour of the threshold band they start in (the matrix has no single one).
      const band = method === 'matrix' ? 'cold' : b.from >= hot ? 'hot' : b.from >= warm ? 'warm' : 'cold';
      return s('g', {},
        s('rect', { x, y: height - barHeight, width: barWidth, height: barHeight, class: `bar ${band}` },
          s('title', {}, `${b.from}–${b.to}: ${formatCount(b.count)} leads`)),
        s('text', { x: x + barWidth / 2, y: height + 13, class: 'axis', 'text-anchor': 'middle' }, String(b.from)));
    }));
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
  return h('table', { class: 'grid' },
    h('caption', { class: 'visually-hidden' }, 'Leads by fit grade (rows A best) and engagement grade (columns 1 best)'),
    h('tr', {}, h('th', {}, ''), cols.map((c) => h('th', { scope: 'col' }, `Eng ${c}`))),
    rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, `Fit ${r}`),
      cols.map((c) => {
        const n = cells[r + c] ?? 0;
        return h('td', { style: { '--share': n / max } }, formatCount(n));
      }))));
}

customElements.get('lead-summary') || customElements.define('lead-summary', LeadSummaryElement);
