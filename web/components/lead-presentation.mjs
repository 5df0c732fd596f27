// <lead-presentation>: the view for a prospect or a sales meeting: big numbers per temperature, the
// funnel, the 10 hottest leads with why, and the warm leads closest to hot with what would tip them.
// Also the body of the printed one-page pipeline report.
import { h, replace, formatCount, formatPercent, formatScore } from '../dom.mjs';
import { identify, telling, tippingActions } from '../words.mjs';

// Warm leads are looked through, closest to hot first, for five with a step worth suggesting.
const WARM_CANDIDATES = 40;

const STAGES = [
  { temperature: 'cold', stage: 'Awareness', play: 'educate' },
  { temperature: 'warm', stage: 'Consideration', play: 'nurture' },
  { temperature: 'hot', stage: 'Decision', play: 'hand to sales' },
];

export class LeadPresentationElement extends HTMLElement {
  /** summary: the list's summary; query(q) and explain(row): the scorer's. */
  async show({ summary, query, explain, title }) {
    delete this.dataset.rendered;
    // Ties (a list often has dozens at 100) go by engagement, then the latest activity.
    const [hottest, nearlyHot] = await Promise.all([
      query({ sort: 'priority', descending: true, temperatures: ['hot'], limit: 10 }),
      query({ sort: 'priority', descending: true, temperatures: ['warm'], limit: WARM_CANDIDATES }),
    ]);
    const explainAll = (rows) => Promise.all(rows.map((r) => explain(r.row)));
    const [hotWhy, warmAll] = await Promise.all([explainAll(hottest.rows), explainAll(nearlyHot.rows)]);
    const warmWhy = warmAll.filter((e) => tippingActions(e).length).slice(0, 5);
    const columns = summary.mapping.columns;
    const who = (e) => {
      const { name, about } = identify(e, columns);
      return about ? `${name} (${about})` : name;
    };
    const max = Math.max(1, ...STAGES.map((s) => summary.temperatures[s.temperature].count));
    replace(this,
      h('h2', { tabindex: '-1' }, title ?? 'Your pipeline'),
      h('p', { class: 'hint' }, `${formatCount(summary.rows)} leads scored with “${summary.model.name}”, as of ${summary.model.as_of ?? 'today'}.`),
      h('div', { class: 'big-numbers' }, [...STAGES].reverse().map((s) => {
        const t = summary.temperatures[s.temperature];
        return h('div', { class: `big ${s.temperature}` },
          h('span', { class: 'big-count' }, formatCount(t.count)),
          h('span', { class: 'big-label' }, `${s.temperature[0].toUpperCase()}${s.temperature.slice(1)} leads · ${formatPercent(t.share_percent)}`));
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
        h('strong', {}, who(e)), ` · ${formatScore(e.score)} · `,
        telling(e.hits).filter((hit) => hit.points > 0).slice(0, 3).map((hit) => hit.label).join(' · ')))) :
        h('p', { class: 'empty' }, 'No hot leads yet.'),
      h('h3', {}, 'Warm leads one step from hot'),
      warmWhy.length ? h('ul', { class: 'nearly' }, warmWhy.map((e) => h('li', {},
        h('strong', {}, who(e)), ` · ${formatScore(e.score)} · hot with: `,
        tippingActions(e).slice(0, 3).map((a) => a.change).join(' or ')))) :
        h('p', { class: 'empty' }, 'No warm lead is one clear step from hot.'));
    this.dataset.rendered = '1';
  }
}

customElements.get('lead-presentation') || customElements.define('lead-presentation', LeadPresentationElement);
