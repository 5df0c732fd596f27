// <lead-scorer>: the whole list scorer as one element (the page is this element and a header).
// Drop, pick, paste or generate a list; progress and cancel; results, table, detail, mapping, model,
// presentation, exports. Shadow DOM with the page's stylesheet; state is mirrored on the element's
// data attributes (ready, rows, hot). Every <lead-scorer> and <lead-score-form> on a page shares one
// worker; each <lead-scorer> holds its own list in it.
import { scorerClient, loadModelAttribute, onEngineBroken } from '../engine.mjs';
import { h, replace, download, clip, formatCount, formatScore } from '../dom.mjs';
import { namer, nameColumn, transitionWords } from '../words.mjs';
import './lead-summary.mjs';
import './lead-table.mjs';
import './lead-detail.mjs';
import './lead-mapping.mjs';
import './lead-model.mjs';
import './lead-presentation.mjs';
import './lead-learn.mjs';
import './lead-warehouse.mjs';

// "Try with sample data": a synthetic list generated in the worker, dated relative to today.
const SAMPLE = { rows: 10000, seed: 1, name: 'sample-10000-leads.csv' };

// Undo reaches this many model and mapping changes back.
const UNDO_DEPTH = 20;
// How long a change's toast stays (longer while the pointer or the focus is on it).
const TOAST_MS = 20000;

// What the file picker offers: CSV and text, Excel workbooks, and the spreadsheets the scorer
// explains how to save as one (.xls, .xlsb, .ods).
const FILE_TYPES = ['.csv', '.tsv', '.txt', 'text/csv', 'text/plain', '.xlsx', '.xlsm', '.xls', '.xlsb', '.ods',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'].join(',');

// The element's static markup (no value from a file ever goes through HTML).
const MARKUP = `
    <section id="load" aria-labelledby="load-title">
      <h2 id="load-title">Score a lead list</h2>
      <div id="dropzone" class="dropzone">
        <p class="drop-title"><strong>Drop a CSV or Excel export here</strong> from HubSpot, Salesforce, Pardot, Marketo, Zoho, a webinar or a trade show.</p>
        <p class="hint drop-help">Or choose a file, paste a list (Ctrl+V), or try the sample. Every row is kept.</p>
        <div class="actions">
          <button type="button" id="choose">Choose a file…</button>
          <input type="file" id="csv" accept="${FILE_TYPES}" hidden>
          <button type="button" id="paste">Paste a list</button>
          <button type="button" id="sample" class="primary">Try with sample data</button>
        </div>
      </div>
      <form id="paste-form" hidden>
        <label for="paste-text">Paste rows copied from a spreadsheet or a CSV file, header first:</label>
        <textarea id="paste-text" rows="8"></textarea>
        <button type="submit" class="primary">Score these rows</button>
        <button type="button" id="paste-cancel">Cancel</button>
      </form>
    </section>

    <section id="progress" hidden aria-live="polite">
      <div class="progress-line">
        <progress id="progress-bar" max="1" value="0"></progress>
        <p id="progress-text">Starting…</p>
        <button type="button" id="cancel">Cancel</button>
      </div>
      <div id="preview" hidden>
        <h3>Hottest so far</h3>
        <ol id="preview-list"></ol>
      </div>
    </section>

    <div id="error" class="error-box" role="alert" hidden></div>
    <p id="announce" class="visually-hidden" role="status"></p>

    <section id="results" hidden aria-labelledby="results-title">
      <div class="results-head">
        <h2 id="results-title" tabindex="-1">Results</h2>
        <p id="file-info" class="hint"></p>
        <label id="sheet-choice" hidden>Sheet <select id="sheet"></select></label>
        <div class="exports">
          <label><input type="checkbox" id="neutralize"> Neutralise spreadsheet formulas</label>
          <button type="button" id="export-csv" class="primary">Download scored CSV</button>
          <button type="button" id="export-summary">Download summary</button>
          <button type="button" id="present" aria-pressed="false">Present</button>
          <button type="button" id="print">Print report</button>
        </div>
      </div>
      <p id="workbook-note" class="note" hidden></p>
      <p id="formula-note" class="note" hidden></p>
      <div id="outcome-nudge" class="nudge" hidden>
        <p id="outcome-nudge-text"></p>
        <button type="button" id="open-learn" class="primary">Learn a model from outcomes</button>
      </div>
      <div id="change-toast" class="toast" role="status" hidden>
        <p id="rescore-note"></p>
        <button type="button" id="show-moved">Show them</button>
        <button type="button" id="undo">Undo</button>
        <button type="button" id="toast-close" aria-label="Dismiss">×</button>
      </div>
      <div id="present-bar" class="present-bar">
        <button type="button" id="fullscreen">Full screen</button>
        <button type="button" id="leave-present">Back to the list (Esc)</button>
      </div>
      <lead-presentation id="presentation"></lead-presentation>
      <lead-summary id="summary"></lead-summary>
      <div class="workspace">
        <lead-table id="table"></lead-table>
        <aside id="detail-pane" aria-label="Lead detail"><lead-detail id="detail"></lead-detail></aside>
      </div>
      <details id="learn-panel" hidden>
        <summary>Outcomes: back-test the model, or learn one</summary>
        <lead-learn id="learning"></lead-learn>
      </details>
      <details id="mapping-panel">
        <summary>Column mapping</summary>
        <lead-mapping id="mapping"></lead-mapping>
      </details>
      <details id="model-panel">
        <summary>Scoring model: thresholds, points, presets</summary>
        <lead-model id="model"></lead-model>
      </details>
      <details id="warehouse-panel">
        <summary>Use this model in your warehouse (SQL)</summary>
        <lead-warehouse id="warehouse"></lead-warehouse>
      </details>
      <details id="issues-panel" hidden>
        <summary id="issues-title">Row issues</summary>
        <ul id="issues"></ul>
      </details>
    </section>
  `;

export class LeadScorerElement extends HTMLElement {
  #root;
  #client = null;   // the scoring worker
  #started = null;  // settles when the worker is ready (again, after a restart)
  #list = null;     // this element's list in it
  #fileName = 'leads.csv';
  #source = null;   // the list's File (learning and back-testing read it again), null for the sample
  #sheet = null;    // the workbook's sheet chosen, null for its first visible one (or a CSV)
  #overrides = {};  // the user's mapping corrections
  #modelInForce = null;  // the model the list is scored with
  #history = [];    // what Undo restores, the last UNDO_DEPTH changes: {model} or {overrides}
  #changes = Promise.resolve();  // changes and undos, one after another
  #scrollBeforePresenting = 0;
  #toastTimer = 0;
  #presented = Promise.resolve(); // the presentation (and printed report) of the results shown
  #scoring = false;
  #pendingModel = null; // a model set before the element started
  #memoryBudget = null; // {baseBytes, bytesPerLead} of a list in the worker
  #explained = null;    // the selected lead's explanation, on its way
  #listeners = null;    // aborts the listeners on the document and on this element

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    if (this.#client) return;
    this.#listeners = new AbortController();
    this.#listeners.signal.addEventListener('abort', onEngineBroken((reason) => this.#engineStopped(reason)));
    this.#root.replaceChildren(h('div', { class: 'scorer' }));
    if (globalThis.LEADSCORE_STYLES) {
      // The offline single-file build carries the stylesheet as text.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(globalThis.LEADSCORE_STYLES);
      this.#root.adoptedStyleSheets = [sheet];
    } else {
      this.#root.prepend(h('link', { rel: 'stylesheet', href: new URL('../styles.css', import.meta.url).href }));
    }
    this.#root.querySelector('.scorer').innerHTML = MARKUP;
    // Wired once, before the engine is ready: a list chosen meanwhile waits for it (#score).
    this.#wireLoading();
    this.#wireResults();
    this.#started = this.#start();
    this.#started.catch((error) => this.#showError(error));
  }

  // Taken out of the page (not just moved within it): its listeners and its list in the worker go.
  disconnectedCallback() {
    queueMicrotask(() => {
      if (this.isConnected || !this.#client) return;
      this.#listeners.abort();
      this.#list.cancel().catch(() => {});
      this.#list.close().catch(() => {});
      this.#client = null;
      this.#list = null;
      delete this.dataset.ready;
      delete this.dataset.rows;
    });
  }

  #$(id) {
    return this.#root.getElementById(id);
  }

  /** The model in force (a plain object). Setting one (object or JSON text) re-scores the list. */
  get model() {
    return this.#$('model')?.model ?? this.#pendingModel;
  }

  set model(model) {
    const value = typeof model === 'string' ? JSON.parse(model) : model;
    const panel = this.#$('model');
    if (!this.dataset.ready || !panel) {
      this.#pendingModel = value;
      return;
    }
    panel.show(value);
    this.#change({ model: value });
  }

  async #start() {
    const { client, ready } = scorerClient();
    this.#client = client;
    this.#list = client.list();
    const info = await ready;
    this.#memoryBudget = info.memoryBudget;
    const modelText = await loadModelAttribute(this.getAttribute('model'));
    const base = this.#pendingModel ?? (modelText ? JSON.parse(modelText) : info.defaultModel);
    this.#$('mapping').fields = info.fields;
    // A page that gives the scorer its model keeps to it; otherwise the last edit comes back.
    const restore = !this.#pendingModel && !modelText;
    this.#$('model').configure({ base, check: (m) => client.checkModel(m), restore });
    this.#modelInForce = this.#$('model').model;
    this.dataset.ready = '1';
  }

  #wireLoading() {
    const $ = (id) => this.#$(id);
    const zone = $('dropzone');
    $('choose').addEventListener('click', () => $('csv').click());
    $('csv').addEventListener('change', () => {
      const file = $('csv').files[0];
      if (file) this.#scoreSource(file, file.name);
      $('csv').value = '';
    });
    // Listeners outside the markup (this element, the document) go when the element leaves the page.
    const signal = this.#listeners.signal;
    for (const target of [zone, this]) {
      target.addEventListener('dragover', (event) => {
        event.preventDefault();
        zone.classList.add('over');
      }, { signal });
      target.addEventListener('dragleave', () => zone.classList.remove('over'), { signal });
      target.addEventListener('drop', (event) => {
        event.preventDefault();
        event.stopPropagation();
        zone.classList.remove('over');
        const file = event.dataTransfer?.files?.[0];
        if (file) this.#scoreSource(file, file.name);
      }, { signal });
    }
    $('sample').addEventListener('click', () => {
      this.#source = null;  // generated in the worker: no outcomes to learn from
      this.#sheet = null;
      // About 240 bytes a lead: the progress bar measures against that estimate.
      this.#score(SAMPLE.name, SAMPLE.rows * 240, (options, onProgress) =>
        this.#list.scoreSample({ rows: SAMPLE.rows, seed: SAMPLE.seed }, options, onProgress));
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
        this.#scoreSource(new Blob([text], { type: 'text/csv' }), 'pasted-leads.csv');
      }
    });
    // Ctrl+V outside a text field scores what the clipboard holds: for the focused scorer, or the
    // page's only one.
    document.addEventListener('paste', (event) => {
      const path = event.composedPath();
      if (path.some((node) => node instanceof HTMLElement && node.matches('input, textarea, select'))) return;
      const mine = path.includes(this) || document.querySelectorAll('lead-scorer').length === 1;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (mine && text.includes('\n')) {
        event.preventDefault();
        this.#scoreSource(new Blob([text], { type: 'text/csv' }), 'pasted-leads.csv');
      }
    }, { signal });
    $('cancel').addEventListener('click', () => this.#list.cancel());
  }

  #scoreSource(source, name, sheet = null) {
    this.#source = source;
    this.#sheet = sheet;
    return this.#score(name, source.size ?? 0, (options, onProgress) =>
      this.#list.scoreFile(source, sheet === null ? options : { ...options, sheet }, onProgress));
  }

  /** Reads a list through `read(options, onProgress)` with progress, then shows the results. */
  async #score(name, total, read) {
    const $ = (id) => this.#$(id);
    if (!this.dataset.ready) {
      // Chosen while the engine starts: kept, and scored once it is ready.
      $('progress').hidden = false;
      $('progress-text').textContent = 'Starting the scorer…';
      try {
        await this.#started;
      } catch {
        $('progress').hidden = true;
        return;  // the failure to start is shown already
      }
    }
    if (this.#scoring) await this.#list.cancel();
    this.#scoring = true;
    this.#fileName = name;
    this.#overrides = {};
    this.#history = [];
    this.#showError(null);
    $('results').hidden = true;
    $('progress').hidden = false;
    delete this.dataset.rows;
    delete this.dataset.firstRowsMs;
    delete this.dataset.scoredMs;
    $('preview').hidden = true;
    const started = performance.now();
    let previewAsked = 0;
    let tooLarge = null;
    const onProgress = ({ rows, bytes, textBytes, textSize }) => {
      // After the first megabyte the file's size says how many leads it holds (a workbook's, the
      // size of its sheet as text): refuse it now if they cannot fit, rather than fail when the
      // memory runs out.
      const [read, of] = textSize ? [textBytes, textSize] : [bytes, total];
      if (!tooLarge && of && rows >= 100 && read >= 1 << 20) {
        tooLarge = this.#tooLarge(Math.round((of * rows) / read), total);
        if (tooLarge) this.#list.cancel();
      }
      // The leads scored so far, while the rest is read: a few, at most twice a second.
      if (rows > 0 && performance.now() - previewAsked > 500) {
        previewAsked = performance.now();
        this.#preview(started);
      }
      const seconds = (performance.now() - started) / 1000;
      const rate = bytes / Math.max(seconds, 0.001);
      const left = total > bytes ? (total - bytes) / rate : 0;
      $('progress-bar').value = total ? Math.min(1, bytes / total) : 0;
      $('progress-text').textContent =
        `${formatCount(rows)} rows · ${(rate / 1e6).toFixed(1)} MB/s · ${left >= 1 ? `about ${Math.ceil(left)} s left` : 'finishing'}`;
      this.dataset.progressUpdates = String(Number(this.dataset.progressUpdates ?? 0) + 1);
    };
    try {
      const summary = await read({ model: $('model').model }, onProgress);
      const seconds = (performance.now() - started) / 1000;
      this.dataset.scoredMs = String(Math.round(seconds * 1000));
      const sheet = summary.workbook ? ` · sheet “${summary.workbook.sheet}”` : '';
      await this.#showResults(summary, `${name}${sheet} · ${formatCount(summary.rows)} leads · scored in ${seconds.toFixed(1)} s`);
      await this.#showSheets(summary.workbook);
      this.#arrive(summary);
    } catch (error) {
      this.#showError(tooLarge ?? error);
    } finally {
      this.#scoring = false;
      $('progress').hidden = true;
    }
  }

  /**
   * An error when a list of about `leads` leads (`bytes` long) needs more memory than this tab may
   * use, else null. The allowance: the `memory-limit` attribute (bytes), else half the device's
   * memory as the browser tells it, at most the 4 GiB a WebAssembly instance can have.
   */
  #tooLarge(leads, bytes) {
    // What a list costs in the worker, as the scorer says: a base, then per lead its figures, where
    // its row is and its cached keys.
    const { baseBytes, bytesPerLead } = this.#memoryBudget;
    const needed = baseBytes + bytesPerLead * leads;
    const device = navigator.deviceMemory ? navigator.deviceMemory * 2 ** 30 / 2 : Infinity;
    const allowed = Number(this.getAttribute('memory-limit')) || Math.min(2 ** 32, device);
    if (needed <= allowed) return null;
    const most = Math.max(0, Math.floor((allowed - baseBytes) / bytesPerLead));
    const gb = (n) => (n < 1e9 ? `${formatCount(Math.round(n / 1e6))} MB` : `${(n / 1e9).toFixed(1)} GB`);
    return {
      code: 'file.too_large',
      message: `This file (${gb(bytes)}) holds about ${formatCount(leads)} leads: scoring it needs about ${gb(needed)} of memory, ` +
        `more than this tab can use (${gb(allowed)}). Split it into files of at most ${formatCount(most)} leads, or score it with the command-line tool.`,
    };
  }

  async #preview(started) {
    try {
      const page = await this.#list.query({ sort: 'score', descending: true, limit: 5 });
      if (!this.#scoring || page.rows.length === 0) return;
      replace(this.#$('preview-list'), page.rows.map((row) => h('li', {},
        h('span', { class: `badge ${row.temperature}` }, row.temperature), ' ',
        h('strong', {}, formatScore(row.score)), ' ',
        row.cells.filter((cell) => cell.trim()).slice(0, 4).join(' · '))));
      this.#$('preview').hidden = false;
      this.dataset.firstRowsMs ??= String(Math.round(performance.now() - started));
    } catch {
      // The list finished or was cancelled meanwhile: the results take over.
    }
  }

  #wireResults() {
    const $ = (id) => this.#$(id);
    $('model').addEventListener('model-change', (event) => this.#change({ model: event.detail }));
    $('mapping').addEventListener('mapping-change', (event) => {
      const { overrides, said } = event.detail;
      this.#change({ overrides: overrides ? { ...this.#overrides, ...overrides } : {} }, said);
    });
    $('undo').addEventListener('click', () => this.#undo());
    $('show-moved').addEventListener('click', () => {
      $('table').showMoved();
      $('table').scrollIntoView({ block: 'start', behavior: 'smooth' });
    });
    // Ctrl+Z (or Cmd+Z) outside a text field undoes the last change.
    this.addEventListener('keydown', (event) => {
      const typing = event.composedPath().some((node) => node instanceof HTMLElement && node.matches('input, textarea, select'));
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !typing && this.#history.length) {
        event.preventDefault();
        this.#undo();
      }
    }, { signal: this.#listeners.signal });
    const base = () => this.#fileName.replace(/\.(csv|tsv|txt)$/i, '');
    $('export-csv').addEventListener('click', async () => {
      // A large list takes seconds to write: the button says how far it is, and cannot start another.
      const button = $('export-csv');
      const label = button.textContent;
      button.disabled = true;
      button.textContent = 'Preparing the scored CSV…';
      const showProgress = ({ rows, of }) => { button.textContent = `Preparing the scored CSV… ${Math.floor((100 * rows) / Math.max(1, of))}%`; };
      try {
        download(await this.#list.exportCsv({ neutralizeFormulas: $('neutralize').checked }, showProgress), `${base()}-scored.csv`);
      } catch (error) {
        this.#showError(error);
      } finally {
        button.disabled = false;
        button.textContent = label;
      }
    });
    $('present').addEventListener('click', () => this.#present(!this.#presenting()));
    $('toast-close').addEventListener('click', () => { $('change-toast').hidden = true; });
    $('open-learn').addEventListener('click', () => {
      $('learn-panel').open = true;
      $('learn-panel').scrollIntoView({ block: 'start', behavior: 'smooth' });
      $('learning').focusStart();
    });
    // Enter on a lead opens its detail; Esc there goes back to the lead.
    $('table').addEventListener('lead-open', async () => {
      await this.#explained?.catch(() => {});
      $('detail').querySelector('h3')?.focus();
    });
    $('detail-pane').addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.#presenting()) {
        event.preventDefault();
        event.stopPropagation();
        $('table').focusSelected();
      }
    });
    $('leave-present').addEventListener('click', () => this.#present(false));
    $('fullscreen').addEventListener('click', () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else this.requestFullscreen?.().catch(() => {});  // refused (an iframe without allow="fullscreen"): stay as is
    });
    const signal = this.#listeners.signal;
    document.addEventListener('fullscreenchange', () => {
      $('fullscreen').textContent = document.fullscreenElement === this ? 'Leave full screen' : 'Full screen';
    }, { signal });
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#presenting()) {
        event.preventDefault();
        this.#present(false);
      }
    }, { signal });
    // The report is rendered with the results, so the browser's own Print gives it too.
    $('print').addEventListener('click', async () => {
      await this.#presented;
      window.print();
    });
    $('export-summary').addEventListener('click', async () => {
      const summary = await this.#list.summary();
      download(new Blob([JSON.stringify(summary, null, 2)], { type: 'application/json' }), `${base()}-summary.json`);
    });
  }

  #presenting() {
    return this.#root.querySelector('.scorer').classList.contains('presenting');
  }

  /** The prospect view: the presentation instead of the working panels. */
  async #present(on) {
    // Leaving Present goes back to where the user was on the page.
    if (on) this.#scrollBeforePresenting = window.scrollY;
    this.#root.querySelector('.scorer').classList.toggle('presenting', on);
    this.#$('present').setAttribute('aria-pressed', String(on));
    if (on) {
      await this.#presented;
      this.#$('presentation').querySelector('h2')?.focus();
    } else {
      this.#$('present').focus({ preventScroll: true });
      const restore = () => window.scrollTo(0, this.#scrollBeforePresenting);
      // Leaving full screen puts the page back where it was then: restore after it.
      if (document.fullscreenElement === this) document.exitFullscreen().then(restore, restore);
      else restore();
    }
  }

  async #renderPresentation() {
    try {
      await this.#$('presentation').show({
        summary: await this.#list.summary(),
        query: (q) => this.#list.query(q),
        explain: (row) => this.#list.explain(row),
        title: `Pipeline: ${this.#fileName}`,
      });
    } catch (error) {
      if (!this.#scoring) this.#showError(error);  // else a new list took this one's place meanwhile
    }
  }

  /**
   * A change of the model ({model}) or of the mapping ({overrides}): the list is scored again, the
   * state before goes on the undo history, and the toast says which leads moved. `said` comes first
   * in the toast (what else the change did).
   */
  #change(next, said = '') {
    this.#changes = this.#changes.then(() => this.#changeNow(next, said));
    return this.#changes;
  }

  async #changeNow(next, said) {
    const before = 'model' in next ? { model: this.#modelInForce } : { overrides: this.#overrides };
    if ('model' in next) this.#modelInForce = next.model;
    else this.#overrides = next.overrides;
    if (this.#$('results').hidden) return;
    try {
      const result = 'model' in next ? await this.#list.rescore(next.model) : await this.#list.remap(next.overrides);
      this.#history.push(before);
      this.#history.splice(0, this.#history.length - UNDO_DEPTH);
      await this.#showResults(result.summary);
      this.#$('table').movedCount = result.changed;
      this.#toast(result, said);
    } catch (error) {
      // The list keeps its last scores: so does the state here.
      if ('model' in before) this.#$('model').show(this.#modelInForce = before.model);
      else this.#overrides = before.overrides;
      this.#showError(error);
    }
  }

  #undo() {
    this.#changes = this.#changes.then(() => this.#undoNow());
    return this.#changes;
  }

  async #undoNow() {
    const last = this.#history.pop();
    if (!last) return;
    try {
      let result;
      if ('model' in last) {
        this.#$('model').show(last.model);
        result = await this.#list.rescore(this.#modelInForce = last.model);
      } else {
        result = await this.#list.remap(this.#overrides = last.overrides);
      }
      await this.#showResults(result.summary);
      this.#$('table').movedCount = result.changed;
      this.#toast(result, 'Undone: ');
    } catch (error) {
      this.#showError(error);
    }
  }

  // A new list is in: the loading area shrinks to a bar, and the results take the screen and the
  // focus, with the counts announced.
  #arrive(summary) {
    const $ = (id) => this.#$(id);
    this.#root.querySelector('.scorer').classList.add('loaded');
    $('load-title').textContent = 'Score another list';
    $('change-toast').hidden = true;
    $('table').movedCount = 0;
    const { hot, warm, cold } = summary.temperatures;
    $('announce').textContent = `Scored ${formatCount(summary.rows)} leads: ${formatCount(hot.count)} hot, ` +
      `${formatCount(warm.count)} warm, ${formatCount(cold.count)} cold.`;
    // Learning reads the file again: set up once per list, so a model used from it keeps its report.
    $('learn-panel').hidden = !this.#source;
    if (this.#source) {
      const asOf = summary.model.as_of;
      $('learning').configure({
        source: this.#source,
        summary,
        actions: {
          learn: (source, options, onProgress) => this.#client.learnModel(source, { asOf, ...this.#sheetOption(), ...options }, onProgress),
          backtest: (source, options) => this.#client.backtest(source,
            { asOf, model: $('model').model, mapping: this.#overrides, ...this.#sheetOption(), ...options }),
          use: (model) => {
            this.model = model;
            $('model-panel').open = true;
            $('outcome-nudge').hidden = true;  // done: the list taught the model in force
          },
        },
      });
    }
    // A list that says how its leads ended can teach a model: say so where it is seen.
    $('outcome-nudge').hidden = !(this.#source && summary.outcome);
    if (summary.outcome) {
      $('outcome-nudge-text').textContent = `This list says how its leads ended (“${summary.outcome.column}”): ` +
        'learn a scoring model from it, or check how well the one in force predicts it.';
    }
    $('results-title').focus({ preventScroll: true });
    $('results').scrollIntoView({ block: 'start' });
  }

  // What a change did, where the user is: a status at the foot of the window, with which way the
  // leads moved, a way to see them and Undo.
  #toast({ changed, transitions }, said = '') {
    const $ = (id) => this.#$(id);
    const ways = transitionWords(transitions);
    $('rescore-note').textContent = `${said}${formatCount(changed)} ${changed === 1 ? 'lead' : 'leads'} changed temperature${ways ? ` (${ways})` : ''}.`;
    $('show-moved').hidden = changed === 0;
    $('undo').hidden = this.#history.length === 0;
    $('change-toast').hidden = false;
    this.#hideToastLater();
  }

  // The toast goes after a while, but not while the pointer or the focus is on it.
  #hideToastLater() {
    clearTimeout(this.#toastTimer);
    this.#toastTimer = setTimeout(() => {
      const toast = this.#$('change-toast');
      if (toast.matches(':hover, :focus-within')) this.#hideToastLater();
      else toast.hidden = true;
    }, TOAST_MS);
  }

  #sheetOption() {
    return this.#sheet === null ? {} : { sheet: this.#sheet };
  }

  /**
   * A workbook of several worksheets: a picker of its sheets, each with the rows it spans; the
   * list is read again from the one chosen.
   */
  async #showSheets(workbook) {
    const $ = (id) => this.#$(id);
    $('sheet-choice').hidden = true;
    if (!workbook || workbook.worksheets < 2 || !this.#source) return;
    const source = this.#source;
    const sheets = await this.#client.workbookSheets(source).catch(() => null);
    if (!sheets || source !== this.#source) return;
    const select = $('sheet');
    replace(select, sheets.map((sheet, i) => sheet.worksheet && h('option', { value: String(i + 1) },
      `${sheet.name}${sheet.rows ? ` (${formatCount(sheet.rows)} rows)` : ''}${sheet.visible ? '' : ' (hidden)'}`)).filter(Boolean));
    select.value = String(sheets.findIndex((sheet) => sheet.name === workbook.sheet) + 1);
    select.onchange = () => this.#scoreSource(source, this.#fileName, select.value);
    $('sheet-choice').hidden = false;
  }

  async #showResults(summary, info) {
    const $ = (id) => this.#$(id);
    this.#showError(null);
    $('file-info').textContent = info ?? `${this.#fileName} · ${formatCount(summary.rows)} leads`;
    $('summary').summary = summary;
    $('mapping').show(summary, Object.keys(this.#overrides).length > 0);
    $('model').absentFields = summary.model.absent_fields;
    this.#showSamples(summary.mapping.columns.length);
    this.#showIssues(summary.issues);
    this.#showFormulaCells(summary.formula_cells, summary.mapping.columns);
    // A workbook: which sheet, and the rows of a report's title, filters and totals left out.
    const workbookNote = summary.workbook?.rows_above_header || summary.workbook?.total_rows ? summary.workbook.note : '';
    $('workbook-note').textContent = workbookNote;
    $('workbook-note').hidden = !workbookNote;
    // The model in force (read when the SQL is written) over this list's columns.
    $('warehouse').configure({
      write: (options) => this.#client.modelSql($('model').model, options),
      writeDbt: (options) => this.#client.modelDbt($('model').model, options),
      mapping: summary.mapping,
    });
    $('results').hidden = false;
    $('detail').clear();
    $('detail').columns = summary.mapping.columns;
    $('detail').model = $('model').model;
    this.#explained = null;
    await $('table').configure({
      header: summary.mapping.columns.map((c) => c.header),
      measured: { fit: summary.model.fit?.measured !== false, engagement: summary.model.engagement?.measured !== false },
      nameOf: namer(summary.mapping.columns),
      nameColumn: nameColumn(summary.mapping.columns),
      fetchPage: (query) => this.#list.query(query),
      onSelect: async (row, { pointer }) => {
        try {
          this.#explained = this.#list.explain(row);
          $('detail').explanation = await this.#explained;
          // One column (a phone, a narrow portal): a tapped lead's detail is below the list; show it.
          const pane = $('detail-pane').getBoundingClientRect();
          if (pointer && pane.top >= $('table').getBoundingClientRect().bottom - 1) $('detail-pane').scrollIntoView({ block: 'start' });
        } catch (error) {
          this.#showError(error);
        }
      },
    });
    // Drawn meanwhile: it explains a few dozen leads, which the table need not wait for.
    this.#presented = this.#presented.then(() => this.#renderPresentation());
    this.dataset.rows = String(summary.rows);
    this.dataset.hot = String(summary.temperatures.hot.count);
    this.dispatchEvent(new CustomEvent('list-scored', { detail: summary, bubbles: true, composed: true }));
  }

  // A few values of each column beside the mapping, from the list's first rows.
  async #showSamples(columns) {
    const SAMPLES = 3;
    try {
      const { rows } = await this.#list.query({ sort: 'row', limit: 50 });
      const samples = Array.from({ length: columns }, () => []);
      for (const { cells } of rows) {
        cells.forEach((cell, c) => {
          const value = clip(cell.trim(), 40);
          if (value && samples[c] && samples[c].length < SAMPLES && !samples[c].includes(value)) samples[c].push(value);
        });
      }
      this.#$('mapping').samples = samples;
    } catch {
      // The list changed meanwhile: the next results show their own.
    }
  }

  // Cells a spreadsheet may run as formulas: say so before the list is exported, and where.
  #showFormulaCells(formulas, columns) {
    const note = this.#$('formula-note');
    note.hidden = !formulas?.count;
    if (note.hidden) return;
    const where = `line ${formatCount(formulas.line)}, column “${columns[formulas.column]?.header ?? formulas.column + 1}”`;
    note.textContent = `${formatCount(formulas.count)} ${formulas.count === 1 ? 'cell starts' : 'cells start'} with =, +, -, @ or a control ` +
      `character (the first: ${where}), which Excel or Sheets may run as a formula: tick “Neutralise spreadsheet formulas” before downloading for them.`;
  }

  #showIssues(issues) {
    const $ = (id) => this.#$(id);
    $('issues-panel').hidden = issues.count === 0;
    $('issues-title').textContent = `Row issues: ${formatCount(issues.count)} (the rows are kept)`;
    replace($('issues'), issues.first.map((issue) => h('li', {}, h('code', {}, issue.code), ' ', issue.message)),
      issues.count > issues.first.length ? h('li', {}, `… and ${formatCount(issues.count - issues.first.length)} more in the summary download.`) : null);
  }

  // The worker crashed or ran out of memory: its list is gone. Say so, start a new one with the
  // same model, and let the user load the list again (no reload of the page).
  async #engineStopped(reason) {
    this.#pendingModel = this.model;
    this.#$('results').hidden = true;
    this.#$('progress').hidden = true;
    delete this.dataset.rows;
    delete this.dataset.ready;
    try {
      this.#started = this.#start();
      await this.#started;
      this.#showError({ code: 'engine.restarted', message: `The scoring engine stopped (${reason}). It has been restarted with your model: load the list again.` });
    } catch (error) {
      this.#showError(error);
    }
  }

  /** Shows an error in plain words, with its code and where it is; `null` hides it. */
  #showError(error) {
    const box = this.#$('error');
    if (!box) return;
    if (!error) {
      box.hidden = true;
      return;
    }
    const where = error.line ? ` (line ${error.line}${error.column ? `, column ${error.column}` : ''})`
      : error.jsonPath ? ` (at ${error.jsonPath})` : '';
    replace(box, h('strong', {}, error.code === 'aborted' ? 'Cancelled. ' : 'This did not work. '),
      String(error.message ?? error), where, ' ', h('code', {}, error.code ?? 'internal'));
    box.dataset.code = error.code ?? 'internal';
    box.hidden = false;
  }
}

customElements.get('lead-scorer') || customElements.define('lead-scorer', LeadScorerElement);
