// A lead and its score in plain words, for people (the page's detail, Present and the report): who the
// lead is, from the columns the mapping reads as identity fields, and what each rule gave.
import { formatCount, formatScore } from './dom.mjs';

const ID_FIELDS = ['first_name', 'last_name', 'full_name', 'email', 'record_id', 'job_title', 'company'];

/** {name, about, id, email} from `cell(field)`, a lead's trimmed cell for an identity field. */
function identity(cell, line) {
  const id = cell('record_id');
  const email = cell('email');
  const name = [cell('first_name'), cell('last_name')].filter(Boolean).join(' ') || cell('full_name') || email ||
    (id ? `Lead ${id}` : line ? `Line ${line}` : '');
  const about = [cell('job_title'), cell('company')].filter(Boolean).join(', ');
  return { name, about, id, email };
}

/** The first column of each identity field, of the mapping's columns [{header, field}]. */
function identityColumns(columns) {
  const first = new Map();
  columns.forEach(({ field }, i) => {
    if (ID_FIELDS.includes(field) && !first.has(field)) first.set(field, i);
  });
  return first;
}

/** {name, about, id, email} of a lead's explanation, given the mapping's columns [{header, field}]. */
export function identify(explanation, columns = []) {
  const first = identityColumns(columns);
  return identity((field) => (first.has(field) ? (explanation.cells[columns[first.get(field)].header] ?? '').trim() : ''), explanation.line);
}

/** (cells) -> a lead's name, for rows of cells in the order of the mapping's `columns`. */
export function namer(columns = []) {
  const first = identityColumns(columns);
  return (cells) => identity((field) => (first.has(field) ? (cells[first.get(field)] ?? '').trim() : '')).name;
}

/** The column a list of leads sorts by to go by name (first or full name, else email, else ID), or -1. */
export function nameColumn(columns = []) {
  const first = identityColumns(columns);
  const field = ['first_name', 'full_name', 'email', 'record_id'].find((f) => first.has(f));
  return field ? first.get(field) : -1;
}

/** "3 months ago" for a number of days. */
export function ago(days) {
  if (days < 1) return 'today';
  const say = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (days < 14) return say(Math.round(days), 'day');
  if (days < 45) return say(Math.round(days / 7), 'week');
  if (days < 730) return say(Math.round(days / 30.44), 'month');
  return say(Math.round(days / 365.25), 'year');
}

/** An axis in words: "42.9 of 100 (30 of 70 points)", or capped. */
export function axisWords(a) {
  if (!a.measured) return 'not measured: the list has none of its columns';
  const points = a.points > a.max_points
    ? `${formatScore(a.points)} points, of which the ${formatScore(a.max_points)} the axis allows count`
    : `${formatScore(a.points)} of ${formatScore(a.max_points)} points`;
  return `${formatScore(a.score)} of 100 (${points})`;
}

/** The half-life of the decay that applies to `hit` in `model`, in days, or null. */
function halfLife(hit, model) {
  const axis = model?.[hit.axis];
  const rule = axis?.rules?.find((r) => r.id === hit.rule);
  const decay = rule?.decay === false ? null : rule?.decay ?? axis?.decay;
  return decay?.half_life_days ?? null;
}

/** How a rule's points came about, in words ("" when they are simply its points). */
export function hitWords(hit, model) {
  const words = [];
  if (hit.missing_value) words.push('no value given');
  // What the rule would give today: its points, or its cap when they pass it.
  const full = hit.capped ? Math.min(hit.base, hit.cap) : hit.base;
  if (hit.decay_factor !== undefined) {
    const days = halfLife(hit, model);
    const when = days ? `last activity ${ago(days * Math.log2(1 / Math.max(hit.decay_factor, 1e-9)))}` : 'older activity';
    words.push(`${formatScore(hit.points)} of ${formatScore(full)} points${hit.capped ? ' (the most this rule gives)' : ''}: ${when}`);
  } else if (hit.capped) {
    words.push(`the most this rule gives (${formatScore(hit.cap)})`);
  }
  if (!hit.counted) words.push(`not counted: a stronger rule of “${hit.group}” counted`);
  return words.join('; ');
}

/** Leads moved between temperatures ({"hot->warm": 108}) in words: "108 hot → warm, 3 cold → warm". */
export function transitionWords(transitions = {}) {
  return Object.entries(transitions).map(([move, n]) => `${formatCount(n)} ${move.replace('->', ' → ')}`).join(', ');
}

/** Whether a hit is the model's starting points rather than something the lead did or is. */
export const isBase = (hit) => hit.rule.startsWith('base_');

/** The hits worth telling: counted, not the base, and moving the score (0.1 or more either way), strongest first. */
export function telling(hits) {
  return hits.filter((hit) => hit.counted && !isBase(hit) && Math.abs(hit.points) >= 0.05)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
}

/** The changes worth suggesting to make a lead hot: named actions, or steps worth 5 points or more. */
export function tippingActions(explanation) {
  return (explanation.to_hot?.actions ?? []).filter((a) => !/^\+\d+ /.test(a.change) || a.score - explanation.score >= 5);
}
