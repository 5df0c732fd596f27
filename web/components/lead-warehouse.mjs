// <lead-warehouse>: "use this model in your warehouse". The model in force becomes one SQL SELECT
// that scores a whole CRM table exactly as this page scores the list (docs/warehouse.md). The
// list's column mapping names the columns; the user picks the engine, the table and the columns
// that identify a lead, then copies or downloads the SQL, or downloads it as a dbt project (a zip).
import { h, replace, download } from '../dom.mjs';
import { zipTexts } from '../zip.mjs';

const DIALECTS = [
  ['postgres', 'PostgreSQL'], ['duckdb', 'DuckDB'], ['bigquery', 'BigQuery'], ['snowflake', 'Snowflake'],
  ['spark', 'Spark SQL / Databricks'], ['trino', 'Trino / Presto / Athena'], ['sqlite', 'SQLite'],
];

const kilobytes = (bytes) => `${Math.max(1, Math.round(bytes / 1000)).toLocaleString('en')} KB`;

export class LeadWarehouseElement extends HTMLElement {
  #write = null;  // async ({dialect, table, keys, columns}) -> SQL text
  #writeDbt = null;  // async (the same) -> [{path, text}]

  /**
   * write(options), writeDbt(options): the scorer's modelSql and modelDbt for the model in force;
   * mapping: the list summary's mapping ({columns: [{header, field?}]}).
   */
  configure({ write, writeDbt, mapping }) {
    this.#write = write;
    this.#writeDbt = writeDbt;
    const columns = mapping.columns;
    const identity = columns.find((c) => c.field === 'record_id') ?? columns.find((c) => c.field === 'email') ?? columns[0];
    const dialect = h('select', { name: 'dialect', 'aria-label': 'SQL dialect' },
      DIALECTS.map(([value, label]) => h('option', { value }, label)));
    const table = h('input', { name: 'table', value: 'leads', 'aria-label': 'Table', spellcheck: 'false' });
    const key = h('select', { name: 'key', 'aria-label': 'Column that identifies a lead' },
      columns.map((c) => h('option', { value: c.header, selected: c === identity }, c.header)));
    const output = h('textarea', { class: 'json sql', rows: 14, readonly: '', spellcheck: 'false', 'aria-label': 'SQL' });
    const status = h('p', { class: 'hint', 'aria-live': 'polite' });
    const error = h('p', { class: 'error', role: 'alert', hidden: '' });
    const options = () => ({ dialect: dialect.value, table: table.value.trim() || 'leads', keys: [key.value], columns: mapping });
    const fail = (e) => {
      error.textContent = e.message ?? String(e);
      error.hidden = false;
    };
    const downloadDbt = async () => {
      error.hidden = true;
      try {
        const files = await this.#writeDbt(options());
        const zip = zipTexts(files);
        download(new Blob([zip], { type: 'application/zip' }), `leadscore-dbt-${dialect.value}.zip`);
        status.textContent = `dbt project (${files.length} files, ${kilobytes(zip.length)} zip): unzip it, name your ` +
          'connection profile in dbt_project.yml, then dbt run builds lead_scores and dbt test checks it.';
      } catch (e) {
        fail(e);
      }
    };
    const actions = h('div', { class: 'actions', hidden: '' },
      h('button', { type: 'button', onclick: () => this.#copy(output.value, status) }, 'Copy SQL'),
      h('button', { type: 'button', onclick: () => download(new Blob([output.value], { type: 'application/sql' }), `leadscore-${dialect.value}.sql`) },
        'Download .sql'),
      h('button', { type: 'button', class: 'dbt', onclick: downloadDbt }, 'Download dbt project (.zip)'));
    const generate = async () => {
      error.hidden = true;
      try {
        output.value = await this.#write(options());
        status.textContent = `One SELECT for ${dialect.selectedOptions[0].textContent} ` +
          `(${kilobytes(new TextEncoder().encode(output.value).length)}): it returns ${key.value}, lead_score, lead_fit, ` +
          'lead_engagement, lead_temperature and lead_reasons for every row, as this page scores them.';
        actions.hidden = false;
      } catch (e) {
        fail(e);
        actions.hidden = true;
      }
    };
    replace(this,
      h('p', {}, 'Score the whole CRM where it lives: the model in force, compiled to SQL with the same value ',
        'reading, caps, decay, groups and thresholds. Columns are named as in this list.'),
      h('div', { class: 'thresholds' },
        h('label', {}, 'Engine ', dialect), h('label', {}, 'Table ', table), h('label', {}, 'Lead id column ', key),
        h('button', { type: 'button', class: 'primary', onclick: generate }, 'Write the SQL')),
      error, status, output, actions);
  }

  async #copy(text, status) {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'The browser did not allow copying: select the text, or download it.';
    }
  }
}

customElements.define('lead-warehouse', LeadWarehouseElement);
