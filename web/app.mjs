// The page's wiring: load a list (drop, pick, paste, sample), show progress, then the results.
// All scoring happens in the worker behind client.mjs; this file only moves data between them.
import { ScorerClient } from './client.mjs';
import { h, replace, download, formatCount } from './dom.mjs';
import './components/lead-summary.mjs';
import './components/lead-table.mjs';
import './components/lead-detail.mjs';
import './components/lead-mapping.mjs';
import './components/lead-model.mjs';
import './components/lead-presentation.mjs';

const $ = (id) => document.getElementById(id);
// "Try with sample data": a synthetic list generated in the worker, dated relative to today.
const SAMPLE = { rows: 10000, seed: 1, name: 'sample-10000-leads.csv' };

const client = new ScorerClient();
let fileName = 'leads.csv';
let overrides = {};    // the user's mapping corrections
let scoring = false;

async function start() {
  const info = await client.init();
  $('mapping').fields = info.fields;
  $('model').configure({ base: info.defaultModel, check: (model) => client.checkModel(model) });
  wireLoading();
  wireResults();
  document.body.dataset.ready = '1';
}

function wireLoading() {
  const zone = $('dropzone');
  $('choose').addEventListener('click', () => $('csv').click());
  zone.addEventListener('keydown', (event) => {
    if ((event.key === 'Enter' || event.key === ' ') && event.target === zone) {
      event.preventDefault();
      $('csv').click();
    }
  });
  $('csv').addEventListener('change', () => {
    const file = $('csv').files[0];
    if (file) scoreSource(file, file.name);
    $('csv').value = '';
  });
  for (const target of [zone, document.body]) {
    target.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
    target.addEventListener('dragleave', () => zone.classList.remove('over'));
    target.addEventListener('drop', (event) => {
      event.preventDefault();
      event.stopPropagation();
      zone.classList.remove('over');
      const file = event.dataTransfer?.files?.[0];
      if (file) scoreSource(file, file.name);
    });
  }
  $('sample').addEventListener('click', () => {
    // About 240 bytes a lead: the progress bar measures against that estimate.
    score(SAMPLE.name, SAMPLE.rows * 240, (options, onProgress) =>
      client.scoreSample({ rows: SAMPLE.rows, seed: SAMPLE.seed }, options, onProgress));
  });
  $('paste').addEventListener('click', () => {
    $('paste-form').hidden = false;
    $('paste-text').focus();
  });
  $('paste-cancel').addEventListener('click', () => {
    $('paste-form').hidden = true;
  });
  $('paste-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('paste-text').value;
    if (text.trim()) {
      $('paste-form').hidden = true;
      scoreSource(new Blob([text], { type: 'text/csv' }), 'pasted-leads.csv');
    }
  });
  // Ctrl+V anywhere outside a text field scores what the clipboard holds.
  document.addEventListener('paste', (event) => {
    if (event.target.closest?.('input, textarea, select')) return;
    const text = event.clipboardData?.getData('text/plain') ?? '';
    if (text.includes('\n')) {
      event.preventDefault();
      scoreSource(new Blob([text], { type: 'text/csv' }), 'pasted-leads.csv');
    }
  });
  $('cancel').addEventListener('click', () => client.cancel());
}

function scoreSource(source, name) {
  return score(name, source.size ?? 0, (options, onProgress) => client.scoreFile(source, options, onProgress));
}

/** Reads a list through `read(options, onProgress)` with progress, then shows the results. */
async function score(name, total, read) {
  if (scoring) await client.cancel();
  scoring = true;
  fileName = name;
  overrides = {};
  showError(null);
  $('results').hidden = true;
  $('progress').hidden = false;
  delete document.body.dataset.rows;
  const started = performance.now();
  const onProgress = ({ rows, bytes }) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = bytes / Math.max(seconds, 0.001);
    const left = total > bytes ? (total - bytes) / rate : 0;
    $('progress-bar').value = total ? Math.min(1, bytes / total) : 0;
    $('progress-text').textContent =
      `${formatCount(rows)} rows · ${(rate / 1e6).toFixed(1)} MB/s · ${left >= 1 ? `about ${Math.ceil(left)} s left` : 'finishing'}`;
    document.body.dataset.progressUpdates = String(Number(document.body.dataset.progressUpdates ?? 0) + 1);
  };
  try {
    const summary = await read({ model: $('model').model }, onProgress);
    const seconds = (performance.now() - started) / 1000;
    await showResults(summary, `${name} · ${formatCount(summary.rows)} leads · scored in ${seconds.toFixed(1)} s`);
  } catch (error) {
    showError(error);
  } finally {
    scoring = false;
    $('progress').hidden = true;
  }
}

function wireResults() {
  $('model').addEventListener('model-change', (event) => rescore(() => client.rescore(event.detail)));
  $('mapping').addEventListener('mapping-change', (event) => {
    overrides = { ...overrides, ...event.detail };
    rescore(() => client.remap(overrides));
  });
  $('export-csv').addEventListener('click', async () => {
    try {
      const blob = await client.exportCsv({ neutralizeFormulas: $('neutralize').checked });
      download(blob, fileName.replace(/\.(csv|tsv|txt)$/i, '') + '-scored.csv');
    } catch (error) {
      showError(error);
    }
  });
  $('present').addEventListener('click', () => present(!document.body.classList.contains('presenting')));
  $('print').addEventListener('click', async () => {
    await renderPresentation();
    window.print();
  });
  $('export-summary').addEventListener('click', async () => {
    const summary = await client.summary();
    download(new Blob([JSON.stringify(summary, null, 2)], { type: 'application/json' }),
      fileName.replace(/\.(csv|tsv|txt)$/i, '') + '-summary.json');
  });
}

/** The prospect view: the presentation instead of the working panels. */
async function present(on) {
  if (on) await renderPresentation();
  document.body.classList.toggle('presenting', on);
  $('presentation').hidden = !on;
  $('present').setAttribute('aria-pressed', String(on));
  $('present').textContent = on ? 'Back to the list' : 'Present';
}

async function renderPresentation() {
  try {
    await $('presentation').show({
      summary: await client.summary(),
      query: (q) => client.query(q),
      explain: (row) => client.explain(row),
      title: `Pipeline: ${fileName}`,
    });
  } catch (error) {
    showError(error);
  }
}

async function rescore(call) {
  if ($('results').hidden) return;
  try {
    const { changed, summary } = await call();
    $('rescore-note').textContent = `${formatCount(changed)} leads changed temperature.`;
    await showResults(summary);
    if (document.body.classList.contains('presenting')) await renderPresentation();
  } catch (error) {
    showError(error);
  }
}

async function showResults(summary, info) {
  showError(null);
  if (info) $('file-info').textContent = info;
  else $('file-info').textContent = `${fileName} · ${formatCount(summary.rows)} leads`;
  $('summary').summary = summary;
  $('mapping').summary = summary;
  showIssues(summary.issues);
  $('results').hidden = false;
  $('detail').clear();
  await $('table').configure({
    header: summary.mapping.columns.map((c) => c.header),
    fetchPage: (query) => client.query(query),
    onSelect: async (row) => {
      try {
        $('detail').explanation = await client.explain(row);
      } catch (error) {
        showError(error);
      }
    },
  });
  document.body.dataset.rows = String(summary.rows);
  document.body.dataset.hot = String(summary.temperatures.hot.count);
}

function showIssues(issues) {
  $('issues-panel').hidden = issues.count === 0;
  $('issues-title').textContent = `Row issues: ${formatCount(issues.count)} (the rows are kept)`;
  replace($('issues'), issues.first.map((issue) => h('li', {}, h('code', {}, issue.code), ' ', issue.message)),
    issues.count > issues.first.length ? h('li', {}, `… and ${formatCount(issues.count - issues.first.length)} more in the summary download.`) : null);
}

/** Shows an error in plain words, with its code and where it is; `null` hides it. */
function showError(error) {
  const box = $('error');
  if (!error) {
    box.hidden = true;
    return;
  }
  const where = error.line ? ` (line ${error.line}${error.column ? `, column ${error.column}` : ''})` : error.jsonPath ? ` (at ${error.jsonPath})` : '';
  replace(box, h('strong', {}, error.code === 'aborted' ? 'Cancelled. ' : 'This did not work. '),
    error.message, where, ' ', h('code', {}, error.code ?? 'internal'));
  box.dataset.code = error.code ?? 'internal';
  box.hidden = false;
}

start().catch(showError);
