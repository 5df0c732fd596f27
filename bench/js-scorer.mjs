// The scoring a front-end developer would write in plain JS around a CSV parser: the same model
// (docs/model.md) and the same column mapping, evaluated per row on string cells. The peers of the
// benchmark use it, and it is checked to give the same temperatures as the wasm module, so the
// comparison is like for like. Only the value formats the benchmark's lists contain are read.

const MISSING = new Set(['', 'select', 'n/a', 'na', '#n/a', '-', '--', '---', 'unknown', 'null', 'nil', 'none',
  '(none)', '(blank)', 'not provided', 'not specified', 'not available', 'nan', 'undefined', '?']);
const FREE_MAIL = ['gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.es',
  'yahoo.it', 'yahoo.co.in', 'yahoo.co.jp', 'ymail.com', 'rocketmail.com', 'hotmail.com', 'hotmail.co.uk',
  'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'outlook.com', 'outlook.fr', 'outlook.de', 'live.com',
  'live.co.uk', 'live.fr', 'msn.com', 'aol.com', 'aim.com', 'icloud.com', 'me.com', 'mac.com', 'protonmail.com',
  'proton.me', 'pm.me', 'tutanota.com', 'fastmail.com', 'gmx.com', 'gmx.de', 'gmx.net', 'gmx.at', 'web.de',
  't-online.de', 'freenet.de', 'mail.com', 'inbox.com', 'yandex.ru', 'yandex.com', 'mail.ru', 'rambler.ru',
  'qq.com', '163.com', '126.com', 'sina.com', 'rediffmail.com', 'libero.it', 'virgilio.it', 'orange.fr',
  'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'btinternet.com', 'sky.com', 'comcast.net', 'verizon.net',
  'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'naver.com',
  'daum.net', 'hanmail.net', 'uol.com.br', 'bol.com.br', 'terra.com.br', 'zoho.com', 'hey.com'];
const DISPOSABLE = ['mailinator.com', 'guerrillamail.com', '10minutemail.com', 'tempmail.com', 'temp-mail.org',
  'yopmail.com', 'trashmail.com', 'sharklasers.com', 'getnada.com', 'dispostable.com', 'maildrop.cc',
  'throwawaymail.com', 'fakeinbox.com', 'mintemail.com', 'mohmal.com', 'emailondeck.com', 'example.com',
  'example.org', 'test.com'];
const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', 'x', 'checked', 'on', 'ja', 'oui', 'si', 'sí', '✓', '✔']);
const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', 'unchecked', 'off', 'nein', 'non']);
const SCALES = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, mn: 1e6, mio: 1e6, million: 1e6, millions: 1e6, b: 1e9,
  bn: 1e9, billion: 1e9, billions: 1e9 };
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function number(text) {
  let s = text.trim().toLowerCase();
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') { sign = s[0] === '-' ? -1 : 1; s = s.slice(1).trim(); }
  s = s.replace(/^(\$|€|£|usd|eur|gbp)\s*/, '').replace(/\s*(\$|€|£|usd|eur|gbp)$/, '').replace(/%$/, '').trim();
  const scale = /([a-z]+)$/.exec(s);
  let factor = 1;
  if (scale) {
    factor = SCALES[scale[1]];
    if (!factor) return null;
    s = s.slice(0, -scale[1].length).trim();
  }
  if (!/^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$/.test(s)) return null;
  return { value: sign * Number(s.replaceAll(',', '')) * factor, factor };
}

function quantity(text) {
  const s = text.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  const n = number(s);
  if (n) return n.value;
  if (s.endsWith('+')) {
    const open = number(s.slice(0, -1));
    if (open) return open.value;
  }
  const phrase = /^(more than|over|greater than|above|at least|>=|>|less than|under|below|up to|fewer than|<=|<)\s*(.*)$/i.exec(s);
  if (phrase) {
    const bound = number(phrase[2]);
    if (bound) return /^(less|under|below|up|fewer|<)/i.test(phrase[1]) ? bound.value / 2 : bound.value;
  }
  const duration = /^(\d{1,4}):(\d{1,4})(?::(\d{1,4}))?$/.exec(s);
  if (duration && +duration[2] < 60 && (duration[3] === undefined || +duration[3] < 60)) {
    return duration[3] === undefined ? +duration[1] * 60 + +duration[2] : (+duration[1] * 60 + +duration[2]) * 60 + +duration[3];
  }
  for (let at = s.indexOf('-', 1); at > 0; at = s.indexOf('-', at + 1)) {
    const low = number(s.slice(0, at));
    const high = number(s.slice(at + 1));
    if (!low || !high) continue;
    const lowValue = low.factor === 1 ? low.value * high.factor : low.value;
    return (Math.min(lowValue, high.value) + Math.max(lowValue, high.value)) / 2;
  }
  const flag = bool(s);
  return flag === null ? null : flag ? 1 : 0;
}

function bool(text) {
  const s = text.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return /^\d+(\.\d+)?$/.test(s) ? Number(s) > 0 : null;
}

function daysFromCivil(year, month, day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return Math.floor(Date.UTC(year, month - 1, day) / 86400000);
}

function date(text) {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
  if (m) return daysFromCivil(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(s);
  if (m) {
    const year = m[4].length === 2 ? (+m[4] < 70 ? 2000 + +m[4] : 1900 + +m[4]) : +m[4];
    const dayFirst = m[2] !== '/' || +m[1] > 12;
    return daysFromCivil(year, dayFirst ? +m[3] : +m[1], dayFirst ? +m[1] : +m[3]);
  }
  m = /^([a-z]{3})[a-z]* (\d{1,2}),? (\d{4})$/i.exec(s) ?? /^(\d{1,2}) ([a-z]{3})[a-z]* (\d{4})$/i.exec(s);
  if (m) {
    const named = /\d/.test(m[1]) ? m[2] : m[1];
    const day = /\d/.test(m[1]) ? m[1] : m[2];
    const month = MONTHS.indexOf(named.toLowerCase()) + 1;
    return month ? daysFromCivil(+m[3], month, +day) : null;
  }
  return null;
}

function domainOf(text) {
  const s = text.trim();
  const at = s.lastIndexOf('@');
  const d = at >= 0 ? s.slice(at + 1).replace(/[>. ]+$/, '') : s.replace(/^[a-z]+:\/\//i, '').split(/[/?#:]/)[0].replace(/^www\./i, '');
  return d.includes('.') && !d.includes(' ') ? d.toLowerCase() : '';
}

function validEmail(text) {
  const s = text.trim();
  const at = s.indexOf('@');
  if (at <= 0 || s.indexOf('@', at + 1) >= 0 || s.length > 254) return false;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1);
  if (/[\x00-\x20",<>]/.test(local) || local[0] === '.' || local.endsWith('.')) return false;
  const dot = domain.lastIndexOf('.');
  if (dot <= 0 || !/^[a-z]{2,}$/i.test(domain.slice(dot + 1))) return false;
  return /^[a-z0-9\-.\u0080-\uffff]+$/i.test(domain) && !domain.includes('..') && domain[0] !== '-';
}

const WORD = /[a-z0-9\u0080-\uffff]/;
function containsPhrase(haystack, needle) {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    const startOk = at === 0 || !WORD.test(haystack[at - 1]) || !WORD.test(needle[0]);
    const endOk = end === haystack.length || !WORD.test(haystack[end]) || !WORD.test(needle[needle.length - 1]);
    if (startOk && endOk) return true;
  }
  return false;
}

// 2^-x by the same series as the core, so scores agree to the bit.
function halfLife(x) {
  if (!(x > 0)) return 1;
  if (x > 1000) return 0;
  const whole = Math.floor(x);
  const y = -(x - whole) * 0.6931471805599453;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 24; ++k) { term *= y / k; sum += term; }
  return sum * 2 ** -whole;
}

const round1 = (x) => Math.round(x * 10 * (1 + 1e-12)) / 10;

/**
 * The model compiled against a header row: `mapping` is {field: header name}. Rows are arrays of
 * cells, or objects by header name with `byName`. Returns row -> 0 cold, 1 warm, 2 hot.
 */
export function compileScorer(model, header, mapping, asOfDays, { byName = false } = {}) {
  const domainLists = { free_mail: FREE_MAIL, disposable: DISPOSABLE, ...model.domain_lists };
  const index = (field) => (mapping[field] === undefined ? -1 : header.indexOf(mapping[field]));
  const column = (field) => (index(field) < 0 ? -1 : byName ? header[index(field)] : index(field));
  const compile = (rules, axisDecay) => rules.map((rule) => {
    const decay = rule.decay === false ? null : rule.decay ?? axisDecay ?? null;
    return {
      rule,
      column: column(rule.field),
      decay,
      decayColumn: decay ? column(decay.date_field ?? 'last_activity_date') : -1,
      domains: rule.domain_in ? new Set(rule.domain_in.flatMap((d) => (d[0] === '@' ? domainLists[d.slice(1)] ?? [] : [d]))) : null,
      texts: (rule.contains_any ?? rule.equals ?? []).map((t) => t.toLowerCase()),
    };
  }).filter((c) => c.column !== -1);
  const maxPositive = (rule) => {
    let best = Math.max(0, rule.missing_points ?? 0);
    if (rule.per_unit !== undefined) best = Math.max(best, rule.per_unit > 0 ? rule.cap ?? Infinity : 0);
    else if (rule.bands) for (const b of rule.bands) best = Math.max(best, b.points);
    else best = Math.max(best, rule.points ?? 0);
    return rule.cap !== undefined ? Math.min(best, rule.cap) : best;
  };
  const axes = ['fit', 'engagement'].map((name) => {
    const rules = compile(model[name].rules, model[name].decay);
    const groups = new Map();
    let max = 0;
    for (const { rule } of rules) {
      if (rule.group) groups.set(rule.group, Math.max(groups.get(rule.group) ?? 0, maxPositive(rule)));
      else max += maxPositive(rule);
    }
    for (const g of groups.values()) max += g;
    if (model[name].max_points !== undefined) max = Math.min(max, model[name].max_points);
    return { rules, max, measured: rules.length > 0 && max > 0 };
  });
  const disqualifiers = compile(model.disqualifiers ?? [], null);
  const seg = model.segments;
  const weights = seg.weights ?? { fit: 0.5, engagement: 0.5 };
  const hotRequires = seg.hot_requires ?? {};

  // Points a rule gives for a row, or null.
  const evaluate = (c, row) => {
    const { rule } = c;
    const text = (row[c.column] ?? '').trim();
    let base = rule.points ?? 0;
    if (MISSING.has(text.toLowerCase())) {
      if (rule.missing_points === undefined) return null;
      base = rule.missing_points;
    } else if (rule.per_unit !== undefined) {
      const q = quantity(text);
      if (q === null || q * rule.per_unit === 0) return null;
      base = q * rule.per_unit;
    } else if (rule.bands) {
      const q = quantity(text);
      const band = q === null ? null : rule.bands.find((b) => (b.at_least === undefined || q >= b.at_least) && (b.below === undefined || q < b.below));
      if (!band) return null;
      base = band.points;
    } else if (rule.at_least !== undefined || rule.below !== undefined) {
      const q = quantity(text);
      if (q === null || (rule.at_least !== undefined && q < rule.at_least) || (rule.below !== undefined && q >= rule.below)) return null;
    } else if (rule.contains_any) {
      const lowered = text.toLowerCase();
      if (!c.texts.some((t) => containsPhrase(lowered, t))) return null;
    } else if (rule.equals) {
      if (!c.texts.includes(text.toLowerCase())) return null;
    } else if (rule.domain_in) {
      let d = domainOf(text);
      let found = false;
      while (d && !found) { found = c.domains.has(d); const dot = d.indexOf('.'); d = dot < 0 ? '' : d.slice(dot + 1); }
      if (!found) return null;
    } else if (rule.is !== undefined) {
      if (bool(text) !== rule.is) return null;
    } else if (rule.within_days !== undefined || rule.older_than_days !== undefined) {
      const d = date(text);
      if (d === null) return null;
      const age = Math.max(0, asOfDays - d);
      if (rule.within_days !== undefined ? age > rule.within_days : age <= rule.older_than_days) return null;
    } else if (rule.invalid_email) {
      if (validEmail(text)) return null;
    }
    let points = base;
    if (rule.cap !== undefined && Math.abs(points) > rule.cap) points = Math.sign(points) * rule.cap;
    if (c.decay && points > 0) {
      const activity = c.decayColumn !== -1 ? date(row[c.decayColumn] ?? '') : null;
      points *= activity !== null ? halfLife(Math.max(0, asOfDays - activity) / c.decay.half_life_days) : c.decay.missing_date_factor ?? 1;
    }
    return round1(points);
  };

  const axisScore = (axis, row) => {
    const best = new Map();
    let sum = 0;
    for (const c of axis.rules) {
      const points = evaluate(c, row);
      if (points === null) continue;
      if (!c.rule.group) { sum += points; continue; }
      const before = best.get(c.rule.group);
      if (before === undefined || points > before) { sum += points - (before ?? 0); best.set(c.rule.group, points); }
    }
    const total = round1(sum);
    return axis.measured ? round1(Math.min(Math.max(total, 0), axis.max) / axis.max * 100) : 0;
  };

  return function temperature(row) {
    const fit = axisScore(axes[0], row);
    const engagement = axisScore(axes[1], row);
    const wf = axes[0].measured ? weights.fit : 0;
    const we = axes[1].measured ? weights.engagement : 0;
    const total = wf + we > 0 ? round1((wf * fit + we * engagement) / (wf + we)) : 0;
    for (const c of disqualifiers) {
      const text = (row[c.column] ?? '').trim();
      if (!MISSING.has(text.toLowerCase()) && evaluate(c, row) !== null) return 0;
    }
    if (total >= seg.hot) {
      const fitOk = !hotRequires.fit || (axes[0].measured && fit >= hotRequires.fit);
      const engagementOk = !hotRequires.engagement || (axes[1].measured && engagement >= hotRequires.engagement);
      return fitOk && engagementOk ? 2 : 1;
    }
    return total >= seg.warm ? 1 : 0;
  };
}
