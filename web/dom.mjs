// Building DOM without HTML strings: every value from a file becomes a text node, never markup.

/** h('div', {class: 'x', onclick: f, style: {'--share': 0.4}, 'aria-label': 'y'}, 'text', child...) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The same for SVG elements. */
export function s(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    // Through the CSSOM: a strict CSP (no 'unsafe-inline' styles) refuses style attributes.
    else if (name === 'style') for (const [property, v] of Object.entries(value)) element.style.setProperty(property, String(v));
    else if (name === 'value' || name === 'checked' || name === 'selected') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

const integer = new Intl.NumberFormat('en-US');
export const formatCount = (n) => integer.format(n);

/** At most `max` characters of `text` for display, with an ellipsis when cut (a cell of many
 * megabytes would stall layout; the export and the file keep it whole). */
export const clip = (text, max) => (text.length > max ? `${text.slice(0, max)}…` : text);
export const formatScore = (n) => (Math.round(n * 10) / 10).toFixed(1);
export const formatPercent = (n) => `${(Math.round(n * 10) / 10).toFixed(1)}%`;

/** Offers `blob` as a download called `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export const TEMPERATURES = ['hot', 'warm', 'cold'];
