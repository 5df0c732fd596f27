// Shared by the browser suites: where things are, Debian's Chromium, and pages that record every
// request and error so each test can assert that nothing left the allowed origins.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const site = process.env.LEADSCORE_SITE ?? path.join(root, 'build/wasm/site');
export const cli = process.env.LEADSCORE_CLI ?? path.join(root, 'build/native/cli/leadscore');
export const shots = process.env.LEADSCORE_SCREENSHOTS ?? path.join(root, 'build/screenshots');
export const work = path.join(root, 'build/browser-work');
export const shared = path.resolve(root, '../shared/data');

/** Debian's Chromium, headless; also makes the screenshot and scratch folders. */
export function launchChromium() {
  mkdirSync(shots, { recursive: true });
  mkdirSync(work, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * Opens `url` in a fresh context. When the test ends, asserts that every request went to one of
 * `origins` (or their blob: URLs) and that the page logged no error, then closes the context.
 */
export async function openPage(browser, t, url, origins, { allowedErrors = [] } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, timezoneId: 'UTC' });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(url);
  t.after(async () => {
    const foreign = requests.filter((u) => !origins.some((o) => u.startsWith(`${o}/`) || u.startsWith(`blob:${o}/`)));
    assert.deepEqual(foreign, [], 'a request left the allowed origins');
    assert.deepEqual(errors.filter((e) => !allowedErrors.some((allowed) => allowed.test(e))), [], 'errors in the page');
    await context.close();
  });
  return page;
}

/**
 * For a suite of page tests: Chromium and the site served (with its CSP) for the whole file.
 * Returns {browser, origin} once `before` has run, and openPage(t): the page, ready.
 */
export function servedSite() {
  const state = {};
  before(async () => {
    state.browser = await launchChromium();
    ({ server: state.server, origin: state.origin } = await serve(site, { port: 0 }));
  });
  after(async () => {
    await state.browser?.close();
    state.server?.close();
  });
  state.openPage = async (t, options) => {
    const page = await openPage(state.browser, t, `${state.origin}/`, [state.origin], options);
    await page.waitForSelector('lead-scorer[data-ready="1"]', { state: 'attached' });
    return page;
  };
  return state;
}

const axeSource = readFileSync(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's violations on `target` (a page or a frame), each as "id (impact): where". Injected
 * through the debugging protocol, which the page's Content-Security-Policy does not govern; some
 * of its checks set inline styles, which that policy refuses: open such pages with
 * `{allowedErrors: AXE_ERRORS}`.
 */
export const AXE_ERRORS = [/^Applying inline style violates the following Content Security Policy directive/];

export async function axeViolations(target) {
  await target.evaluate(axeSource);
  return target.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, where: v.nodes.slice(0, 3).map((n) => n.target.join(' > ')).join('; ') })));
}

/** The violations axe calls serious or critical, as readable lines. */
export const seriousOnes = (violations) => violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => `${v.id} (${v.impact}): ${v.where}`);
