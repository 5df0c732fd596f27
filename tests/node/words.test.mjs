// The page's plain words for a lead and its score (web/words.mjs), which need no DOM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identify, ago, axisWords, hitWords, telling, tippingActions, transitionWords } from '../../web/words.mjs';

const columns = [
  { header: 'Prospect ID', field: 'record_id' }, { header: 'Vorname', field: 'first_name' },
  { header: 'Nachname', field: 'last_name' }, { header: 'Firma', field: 'company' },
  { header: 'Position', field: 'job_title' }, { header: 'Mail', field: 'email' },
];

test('a lead is named from the mapped columns, whatever their headers, then by its ID, then by its line', () => {
  const cells = { 'Prospect ID': 'P-9', Vorname: 'Ann', Nachname: 'Lee', Firma: 'Acme', Position: 'CFO', Mail: 'ann@acme.com' };
  assert.deepEqual(identify({ line: 4, cells }, columns), { name: 'Ann Lee', about: 'CFO, Acme', id: 'P-9', email: 'ann@acme.com' });
  assert.equal(identify({ line: 4, cells: { ...cells, Vorname: ' ', Nachname: '' } }, columns).name, 'ann@acme.com');
  assert.equal(identify({ line: 4, cells: { 'Prospect ID': 'P-9' } }, columns).name, 'Lead P-9');
  assert.equal(identify({ line: 4, cells: {} }, []).name, 'Line 4');
});

test('ages and axes in words', () => {
  assert.deepEqual([0.2, 1, 9, 20, 91, 400, 900].map(ago),
    ['today', '1 day ago', '9 days ago', '3 weeks ago', '3 months ago', '13 months ago', '2 years ago']);
  assert.equal(axisWords({ measured: true, score: 100, points: 80, max_points: 70 }), '100.0 of 100 (80.0 points, of which the 70.0 the axis allows count)');
  assert.equal(axisWords({ measured: true, score: 42.9, points: 30, max_points: 70 }), '42.9 of 100 (30.0 of 70.0 points)');
  assert.match(axisWords({ measured: false }), /^not measured/);
});

test('a decayed rule says how old the activity is, from its own half-life or its axis\'s', () => {
  const model = { engagement: { decay: { half_life_days: 60 }, rules: [
    { id: 'demo', decay: { half_life_days: 90 } }, { id: 'visits' }] } };
  const demo = { rule: 'demo', axis: 'engagement', points: 14.9, base: 30, decay_factor: 0.496, counted: true };
  assert.equal(hitWords(demo, model), '14.9 of 30.0 points: last activity 3 months ago');
  const visits = { rule: 'visits', axis: 'engagement', points: 2, base: 4, decay_factor: 0.5, counted: true };
  assert.equal(hitWords(visits, model), '2.0 of 4.0 points: last activity 2 months ago');
  // Capped, then decayed: of the cap, not of the points before it.
  const capped = { rule: 'visits', axis: 'engagement', points: 13.3, base: 34, cap: 16, capped: true, decay_factor: 0.83, counted: true };
  assert.equal(hitWords(capped, model), '13.3 of 16.0 points (the most this rule gives): last activity 2 weeks ago');
  assert.equal(hitWords({ rule: 'x', axis: 'fit', points: 0, counted: false, group: 'size', missing_value: true }, model),
    'no value given; not counted: a stronger rule of “size” counted');
});

test('only the rules that move a score are told, strongest first; only steps worth taking are suggested', () => {
  const hits = [
    { rule: 'a', points: 5, counted: true }, { rule: 'b', points: 0, counted: true },
    { rule: 'base_fit', points: 92, counted: true }, { rule: 'c', points: -10, counted: true },
    { rule: 'd', points: 20, counted: false },
  ];
  assert.deepEqual(telling(hits).map((h) => h.rule), ['c', 'a']);
  const lead = { score: 58, to_hot: { actions: [
    { change: '+1 Page views', score: 60.1 }, { change: '+3 Website visits', score: 63 }, { change: 'Requested a demo', score: 70 }] } };
  assert.deepEqual(tippingActions(lead).map((a) => a.change), ['+3 Website visits', 'Requested a demo']);
});

test('moves between temperatures in words', () => {
  assert.equal(transitionWords({ 'hot->warm': 1108, 'cold->warm': 3 }), '1,108 hot → warm, 3 cold → warm');
  assert.equal(transitionWords({}), '');
});
