// <lead-presentation>: the view for a prospect or a sales meeting: big numbers per temperature, the
// funnel, the 10 hottest leads with why, and the warm leads closest to hot with what would tip them.
// Also the body of the printed one-page pipeline report.
import { h, replace, formatCount, formatPercent, formatScore } from '../dom.mjs';

const STAGES = [
  { temperature: 'cold', stage: 'Awareness', play: 'educate' },
  { temperature: 'warm', stage: 'Consideration', play: 'nurture' },
  { temperature: 'hot', stage: 'Decision', play: 'hand to sales' },
];

export class LeadPresentationElement extends HTMLElement {
  /** summary: the list's summary; query(q) and explain(row): the scorer's. */
  async show({ summary, query, explain, title }) {
    const [hottest, nearlyHot] = await Promise.all([
      query({ sort: 'score', descending: true, temperatures: ['hot'], limit: 10 }),
      query({ sort: 'score', descending: true, temperatures: ['warm'], limit: 5 }),
    ]);
    const explainAll = (rows) => Promise.all(rows.map((r) => explain(r.row)));
    const [hotWhy, warmWhy] = await Promise.all([explainAll(hottest.rows), explainAll(nearlyHot.rows)]);
    const max = Math.max(1, ...STAGES.map((s) => summary.temperatures[s.temperature].count));
    replace(this,
      h('h2', {}, title ?? 'Your pipeline'),
      h('p', { class: 'hint' }, `${formatCount(summary.rows)} leads scored with “${summary.model.name}”, as of ${summary.model.as_of ?? 'today'}.`),
      h('div', { class: 'big-numbers' }, [...STAGES].reverse().map((s) => {
        const t = summary.temperatures[s.temperature];
        return h('div', { class: `big ${s.temperature}` },
          h('span', { class: 'big-count' }, formatCount(t.count)),
          h('span', { class: 'big-label' }, `${s.temperature} leads · ${formatPercent(t.share_percent)}`));
      })),
      h('h3', {}, 'The funnel'),
      h('div', { class: 'funnel', role: 'img', 'aria-label': 'Leads per funnel stage' }, STAGES.map((s) => {
        const count = summary.temperatures[s.temperature].count;
        return h('div', { class: `funnel-row ${s.temperature}` },
          h('span', { class: 'funnel-stage' }, `${s.stage} (${s.temperature})`),
          h('span', { class: 'funnel-bar', style: { width: `${Math.max(2, (count / max) * 100)}%` } }, formatCount(count)),
          h('span', { class: 'funnel-play' }, s.play));
      })),
      h('h3', {}, 'The 10 hottest leads, and why'),
      hotWhy.length ? h('ol', { class: 'hottest' }, hotWhy.map((e) => h('li', {},
        h('strong', {}, leadName(e)), ` · ${formatScore(e.score)} · `, e.reasons.split('; ').slice(0, 3).join('; ')))) :
        h('p', { class: 'empty' }, 'No hot leads yet.'),
      h('h3', {}, 'Warm leads one step from hot'),
      warmWhy.length ? h('ul', { class: 'nearly' }, warmWhy.map((e) => h('li', {},
        h('strong', {}, leadName(e)), ` · ${formatScore(e.score)} · `,
        e.to_hot?.actions?.length ? `hot with: ${e.to_hot.actions.map((a) => a.change).join(' or ')}` : (e.to_hot?.blocked ?? '')))) :
        h('p', { class: 'empty' }, 'No warm leads.'));
    this.dataset.rendered = '1';
  }
}

/** A lead's name for people, from the usual columns. */
function leadName(e) {
  const c = e.cells;
  const name = [c['First Name'], c['Last Name']].filter(Boolean).join(' ') || c.Name || c.Email || `Line ${e.line}`;
  const where = [c['Job Title'] || c.Title, c['Company Name'] || c.Company].filter(Boolean).join(', ');
  return where ? `${name} (${where})` : name;
}

customElements.get('lead-presentation') || customElements.define('lead-presentation', LeadPresentationElement);
