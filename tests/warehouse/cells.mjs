// A seeded list of cells written the many ways people write them (numbers with every grouping and
// decimal mark, currencies, scale words, ranges, durations, yes/no words, dates in every order,
// emails, URLs and titles with punctuation), with columns every lead field of kitchen_sink_model.json
// reads. The SQL must read each cell exactly as the core does.

/** A small deterministic generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPACES = [' ', ' ', ' ', '\u00a0', '\u202f', '\u2009', '\t'];
const CURRENCIES = ['$', '€', '£', '¥', '₹', 'USD', 'eur', 'Gbp', 'chf', 'CAD', 'aud', 'jpy', 'inr'];
const SCALES = ['k', 'K', 'thousand', 'm', 'M', 'mm', 'mn', 'Mio', 'million', 'millions', 'b', 'bn', 'Billion', 'billions', 'x', 'kk'];
const PREFIXES = ['More than', 'over', 'greater than', 'Above', '>=', '>', 'at least', 'less than', 'Under', 'below',
  'up to', '<=', '<', 'fewer than', 'about'];
const SUFFIXES = ['or more', 'and more', 'and above', 'and up', 'plus', '+', 'or less'];
const DASHES = ['-', '–', '—', ' to ', '...', ' - ', '--'];
const PLACEHOLDERS = ['', 'N/A', 'n/a', '-', '--', 'unknown', 'NULL', 'None', '(blank)', 'not provided', '?', 'nan', 'Select'];
const BOOLS = ['yes', 'Yes', 'Y', 'no', 'N', 'true', 'FALSE', 't', 'f', 'x', 'X', 'checked', 'unchecked', 'on', 'off',
  'ja', 'nein', 'oui', 'non', 'si', 'sí', 'SÍ', '✓', '✔', '1', '0', '2', '-1', '0.5', '0,0', '1e3', 'maybe', '1,000,000,000'];
const MONTHS = ['Jan', 'feb', 'MAR', 'April', 'may', 'June', 'jul', 'Aug', 'Sept', 'sep', 'October', 'nov', 'Dec', 'Janu', 'Mayo'];
const NOISE = ['Mon', 'tuesday', 'WED', 'thu', 'Fri', 'sat', 'Sun', 'UTC', 'GMT', 'Z', 'am', 'PM', 'of', 'the', 'T'];
const TITLES = ['VP Sales', 'vp, marketing', 'MVP engineer', 'Head of Growth', 'head-of growth', 'C-Level', 'c-level exec',
  'Chief Executive Officer', 'CEO & Founder', 'Directeur général', 'Director', 'Sr. Manager', 'manager', 'Intern',
  'student', 'Owner/Founder', 'VP\nSales', 'vpsales', 'Über-Director', 'director…', 'Analyst (junior)', 'founder.'];
const INDUSTRIES = ['Software', 'software', ' SaaS ', 'Computer Software', 'Education', 'Retail', 'Financial Services', 'École'];
const DOMAINS = ['acme.com', 'gmail.com', 'mail.google.com', 'GMAIL.COM', 'rival.io', 'sub.rival.io', 'notrival.io',
  'example.org', 'yahoo.co.uk', 'company.co', 'x.y', 'über.de', 'a-b.com', '-bad.com', 'bad..com', 'acme.c0m'];

export function differentialList(rows, seed) {
  const r = random(seed);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const chance = (p) => r() < p;
  const space = () => (chance(0.2) ? pick(SPACES) : ' ');
  const digits = (n) => Array.from({ length: n }, (_, i) => String(i === 0 && n > 1 && chance(0.9) ? 1 + Math.floor(r() * 9) : Math.floor(r() * 10))).join('');

  // A number written with grouping and decimal marks, right or (sometimes) wrong.
  function plain() {
    const whole = digits(1 + Math.floor(r() * (chance(0.1) ? 17 : 8)));
    const group = pick([',', '.', ' ', "'", '\u00a0', '', '', '']);
    let text = whole;
    if (group && whole.length > 3 && chance(0.7)) {
      const parts = [];
      for (let end = whole.length; end > 0; end -= 3) parts.unshift(whole.slice(Math.max(0, end - 3), end));
      text = parts.join(chance(0.9) ? group : pick([',', '.', ' ']));
    }
    if (chance(0.35)) text += pick(['.', ',']) + digits(Math.floor(r() * 4));
    if (chance(0.05)) text = pick(['.', ',']) + digits(1 + Math.floor(r() * 3));
    if (chance(0.06)) text += pick(['e', 'E']) + pick(['', '+', '-']) + String(Math.floor(r() * 30));
    return text;
  }
  function scaled() {
    let text = plain();
    if (chance(0.15)) text += space() + pick(SCALES);
    if (chance(0.1)) text += space() + '%';
    if (chance(0.15)) text = pick(CURRENCIES) + (chance(0.3) ? space() : '') + text;
    if (chance(0.08)) text += space() + pick(CURRENCIES);
    if (chance(0.12)) text = pick(['-', '+']) + (chance(0.2) ? space() : '') + text;
    return text;
  }
  function quantity() {
    const k = r();
    if (k < 0.35) return scaled();
    if (k < 0.5) return `${scaled()}${pick(DASHES)}${scaled()}`;
    if (k < 0.6) return `${pick(PREFIXES)}${space()}${scaled()}`;
    if (k < 0.68) return `${scaled()}${pick(SUFFIXES)[0] === '+' ? '+' : space() + pick(SUFFIXES)}`;
    if (k < 0.75) return `${digits(1 + Math.floor(r() * 3))}:${digits(2)}${chance(0.4) ? `:${digits(2)}` : ''}`;
    if (k < 0.85) return pick(BOOLS);
    return pick(PLACEHOLDERS);
  }
  function date() {
    const y = 1990 + Math.floor(r() * 40);
    const m = 1 + Math.floor(r() * 13);
    const d = 1 + Math.floor(r() * 31);
    const pad = (n) => (chance(0.7) ? String(n).padStart(2, '0') : String(n));
    const yy = chance(0.2) ? String(y).slice(2) : String(y);
    const sep = pick(['-', '/', '.', ' ', '-', '/']);
    const k = r();
    let text;
    if (k < 0.3) text = `${y}${sep}${pad(m)}${sep}${pad(d)}`;
    else if (k < 0.5) text = `${pad(m)}${sep}${pad(d)}${sep}${yy}`;
    else if (k < 0.6) text = `${pad(d)}${pick([' ', '-', ''])}${pick(MONTHS)}${pick([' ', '-', ', '])}${yy}`;
    else if (k < 0.7) text = `${pick(MONTHS)} ${d}${pick(['', 'st', 'nd', 'th', 'rd'])}, ${y}`;
    else if (k < 0.75) text = String(Math.floor(r() * 2e9)).padStart(10, '1') + (chance(0.5) ? digits(3) : '');
    else if (k < 0.85) text = `${y}-${pad(m)}-${pad(d)}${pick(['T10:30:00Z', ' 12:00', 'T', ' 9:05 PM', ''])}`;
    else if (k < 0.93) text = `${pick(NOISE)}, ${pad(d)} ${pick(MONTHS)} ${y}${chance(0.5) ? ` ${pick(NOISE)}` : ''}`;
    else text = pick(PLACEHOLDERS.concat(['yesterday', '2025', '14.03.2025 10:30', 'Fri Sat Sun Mon Tue Wed 1 2 2020']));
    return text;
  }
  function email() {
    const local = pick(['jane', 'j.doe', 'x', '.bad', 'bad.', 'a b', 'a"b', 'o\'neil', 'ÜSER', 'first+tag', 'JANE']);
    const k = r();
    if (k < 0.75) return `${local}@${pick(DOMAINS)}`;
    if (k < 0.8) return `Jane <${local}@${pick(DOMAINS)}>`;
    if (k < 0.85) return `${local}@@${pick(DOMAINS)}`;
    if (k < 0.9) return `${local}@${pick(DOMAINS)}.`;
    return pick(PLACEHOLDERS.concat(['no-at-sign', '@acme.com', 'jane@', 'a@b@gmail.com']));
  }
  function website() {
    const k = r();
    if (k < 0.6) return `${pick(['https://', 'http://', '', 'HTTPS://www.'])}${pick(['www.', '', 'WWW.'])}${pick(DOMAINS)}${pick(['', '/about', '?q=1', ':8080', '#top', '/a/b'])}`;
    return pick(PLACEHOLDERS.concat(['acme', 'a b.com', 'localhost']));
  }
  const pad = (text) => (chance(0.1) ? `${pick(SPACES)}${text}${pick(SPACES)}` : text);
  const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  const header = ['Record ID', 'Email', 'Website', 'Job Title', 'Industry', 'Number of Employees', 'Annual Revenue',
    'Page Views', 'Time on Site', 'Demo Requested', 'Newsletter', 'Last Activity Date', 'Lead Status', 'Seniority'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; ++i) {
    const cells = [String(i + 1), email(), website(), pick(TITLES.concat(PLACEHOLDERS)), pick(INDUSTRIES.concat(PLACEHOLDERS)),
      quantity(), quantity(), quantity(), quantity(), pick(BOOLS.concat(PLACEHOLDERS)), pick(BOOLS), date(),
      pick(['Open', 'Unqualified', 'unqualified', 'Junk Lead', '', 'Qualified']), pick(TITLES)];
    lines.push(cells.map((c) => quote(pad(c))).join(','));
  }
  return lines.join('\n') + '\n';
}
