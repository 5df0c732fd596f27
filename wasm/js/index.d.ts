// Type declarations for leadscore's JavaScript API (index.mjs), kept by hand.

/** Where a problem is: a CSV line/column, or a JSON pointer into a model. */
export interface ErrorInfo {
  code: string;
  message: string;
  line?: number;
  column?: number;
  jsonPath?: string;
}

/** Every failure of the API. `code` is stable: "csv.not_text", "model.type_mismatch", "aborted"... */
export class LeadScorerError extends Error implements ErrorInfo {
  constructor(info?: Partial<ErrorInfo>);
  readonly name: 'LeadScorerError';
  code: string;
  line?: number;
  column?: number;
  jsonPath?: string;
  toJSON(): ErrorInfo & { name: string };
}

export type Temperature = 'cold' | 'warm' | 'hot';

/** A scoring model in the JSON format of docs/model.md. */
export type Model = Record<string, unknown>;

export interface CreateScorerOptions {
  /** The bytes of leadscore-core.wasm (needed in Node: `fs.readFileSync(...)`). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to find leadscore-core.wasm when it is not next to index.mjs. */
  locateFile?: (path: string, prefix: string) => string;
  /** A module another scorer compiled (scorer.wasmModule, posted to this worker): nothing is compiled again. */
  wasmModule?: WebAssembly.Module;
}

export interface ListOptions {
  /** A model object or JSON text; default: the built-in model. */
  model?: Model | string | null;
  /** "YYYY-MM-DD": the day recency and decay count from; default: the model's, else today. */
  asOf?: string;
  /** One character; default: sniffed among , ; TAB |. */
  delimiter?: string;
  /** Corrections to the column mapping: lead field -> header name ("" removes the field). */
  mapping?: Record<string, string>;
  /**
   * Reads the bytes being pushed again: (offset, length) -> those bytes, or null when they cannot
   * be read. With it the list keeps only where each row is, not a copy of the file. scoreFile()
   * sets it for a File or Blob in a worker.
   */
  readSource?: (offset: number, length: number) => Uint8Array | null;
  /**
   * The whole input's size in bytes, when known before it is read. A list whose rows' keys would
   * not fit the re-score cache (about 4 million leads) then learns so from its first rows and
   * does not start the cache. scoreFile() sets it for a File or Blob.
   */
  expectedBytes?: number;
}

export interface ScoreFileOptions extends ListOptions {
  /** An Excel workbook's sheet: its name or 1-based place among the tabs (default: the first visible worksheet). */
  sheet?: string | number;
  /** For a workbook, `bytes` is a share of the workbook's size. */
  onProgress?: (progress: Progress) => void;
  /** The list, before the first chunk: its query() pages the rows scored so far; `text` is what
   * its rows are read from (the file, or a workbook's sheet as CSV text). */
  onStart?: (list: LeadList, text: Blob | SliceableSource | unknown) => void;
  signal?: AbortSignal;
  /** Largest piece handed to WebAssembly at once (default 4 MiB). */
  chunkBytes?: number;
}

/** Anything with a size whose slices are Blobs, streams or bytes (a file on disk in Node, say). */
export interface SliceableSource {
  size: number;
  slice(from: number, to: number): Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;
}

export interface Progress {
  rows: number;
  bytes: number;
  /** A workbook: the bytes of its sheet's CSV text read, of its whole size. */
  textBytes?: number;
  textSize?: number;
}

export interface FieldInfo {
  name: string;
  label: string;
  group: 'identity' | 'fit' | 'engagement' | 'funnel' | 'outcome' | 'custom';
  kind: 'text' | 'email' | 'url' | 'number' | 'boolean' | 'date';
}

export interface AxisFigures {
  score: number;
  points: number;
  max_points: number;
  capped: boolean;
  measured: boolean;
}

export interface RuleHit {
  rule: string;
  label: string;
  axis: 'fit' | 'engagement';
  field: string;
  base: number;
  points: number;
  counted: boolean;
  capped: boolean;
  missing_value: boolean;
  cap?: number;
  decay_factor?: number;
  group?: string;
}

export interface Explanation {
  score: number;
  fit: AxisFigures;
  engagement: AxisFigures;
  temperature: Temperature;
  grade: string;
  stage: string;
  next_action: string;
  reasons: string;
  hits: RuleHit[];
  disqualified?: { rule: string; reason: string };
  held_back?: string;
  /** For leads that are not hot: single actions that would make them hot, or why none would. */
  to_hot?: { actions: { change: string; field: string; value: string; score: number }[]; blocked?: string };
  /** The lead's cells by header name. */
  cells: Record<string, string>;
  /** Lists only: where the lead is. */
  row?: number;
  line?: number;
}

export interface Summary {
  rows: number;
  temperatures: Record<Temperature, { count: number; share_percent: number }>;
  histogram: { from: number; to: number; count: number }[];
  by_source: { source: string; cold: number; warm: number; hot: number; total: number }[];
  /** Leads per grade: fit letter + engagement digit ("A1"). */
  grid: Record<string, number>;
  averages: { score: number; fit: number; engagement: number };
  disqualified: Record<string, number>;
  issues: { count: number; by_code: Record<string, number>; first: ErrorInfo[] };
  /** Original cells starting with = + - @ TAB or CR (a spreadsheet may run them): how many, and
   * the first one's line and column index. */
  formula_cells: { count: number; line?: number; column?: number };
  /** The column that says how each lead ended (Converted, Lead Status...), when the list has one. */
  outcome: { column: string; kind: 'flag' | 'lifecycle_stage' | 'lead_status' | 'deal_stage' } | null;
  file: {
    bytes: number;
    encoding: 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
    byte_order_mark: boolean;
    delimiter: string;
    delimiter_sniffed: boolean;
    invalid_utf8_bytes: number;
  };
  /** A list read from an Excel workbook: the sheet, its header's row and the rows of a report's
   * title, filters and totals left out. */
  workbook?: WorkbookFacts;
  mapping: {
    columns: { index: number; header: string; field?: string }[];
    fields: Record<string, string>;
    notes: string[];
  };
  model: {
    name: string;
    segments: { method: 'thresholds' | 'matrix'; warm: number; hot: number };
    as_of?: string;
    absent_fields?: string[];
    fit?: { measured: boolean; max_points: number };
    engagement?: { measured: boolean; max_points: number };
  };
}

export interface WorkbookFacts {
  sheet: string;
  /** Worksheets in the workbook. */
  worksheets: number;
  header_row: number;
  rows_above_header: number;
  total_rows: number;
  shared_strings: number;
  /** What the shared strings held in memory while the sheet was read. */
  shared_string_bytes: number;
  date_system: 1900 | 1904;
  /** The facts in words: the sheet read, and the rows of a report's title, filters and totals left out. */
  note: string;
}

export interface WorkbookSheet {
  name: string;
  visible: boolean;
  /** false for a chart sheet. */
  worksheet: boolean;
  /** The rows the sheet says it spans (header included), or null. */
  rows: number | null;
}

export interface ListQuery {
  /** priority: by score, then engagement, then the latest activity, then file order (whole lists only). */
  sort?: 'row' | 'score' | 'fit' | 'engagement' | 'temperature' | 'column' | 'priority';
  /** The column index for sort: 'column'. Numbers sort as numbers. */
  column?: number;
  descending?: boolean;
  temperatures?: Temperature[];
  /** Case-insensitive text some cell must contain. */
  search?: string;
  /** Only the leads the last rescore() or remap() moved to another temperature. */
  moved?: boolean;
  offset?: number;
  /** At most 10,000; default 100. */
  limit?: number;
}

export interface ListRow {
  /** Index of the lead among the data rows (0-based): for explain(). */
  row: number;
  /** The line of the file where the lead starts. */
  line: number;
  score: number;
  fit: number;
  engagement: number;
  temperature: Temperature;
  disqualified: boolean;
  /** The temperature before the last rescore() or remap(), when that moved the lead. */
  was?: Temperature;
  cells: string[];
}

export interface ListPage {
  matches: number;
  rows: ListRow[];
}

export interface Rescored {
  changed: number;
  /** How many leads moved each way, e.g. {'hot->warm': 108}; only the moves made. */
  transitions: Record<string, number>;
  summary: Summary;
}

export interface ExportOptions {
  /** Prefix original cells starting with = + - @ TAB CR with ' (appended cells always are safe). */
  neutralizeFormulas?: boolean;
  byteOrderMark?: boolean;
  /** Called now and then while the rows are written: `rows` of `of`. */
  onProgress?: (progress: { rows: number; of: number }) => void;
  /** Each part (about 1 MiB, its own copy) as it is written; exportCsv then keeps none and returns undefined. */
  onPart?: (part: Uint8Array) => void;
  /** Only rows [fromRow, toRow) (row indexes as query() gives them); the header only from row 0. */
  fromRow?: number;
  toRow?: number;
}

/** What exportCsvInParts hands to parallel.exportPart, for another scorer's exportPart (plain data: it can be posted). */
export interface ExportPartRequest {
  plan: {
    asOfDays: number;
    delimiter: string;
    headers: string[];
    matches: { field: string; column: number }[];
    /** The model the list scores with now, as JSON text ("" for the default). */
    model: string;
    rows: number;
    /** After the list's own rows [0, parts[0].row): each part's first row and its bytes in the file. */
    parts: { row: number; start: number; end: number }[];
  };
  part: number;
  options: { neutralizeFormulas?: boolean };
}

export interface ExportInPartsOptions<Written> extends Omit<ExportOptions, 'onPart' | 'fromRow' | 'toRow'> {
  /**
   * Each Uint8Array written here, and each part written elsewhere as exportPart resolved it
   * (a Blob, say), in file order.
   */
  onPart: (part: Uint8Array | Written) => void;
  signal?: AbortSignal;
  /**
   * Up to `parts` parts at once: `exportPart` has another scorer (another worker) call
   * exportPart(theListsFile, request) and resolves to what it wrote. A part that fails is written
   * by the list itself. Without it, or for a small list or one whose text is kept, all is written here.
   */
  parallel?: {
    parts: number;
    exportPart: (request: ExportPartRequest, options: { signal: AbortSignal; onProgress: (progress: { rows: number }) => void }) => Promise<Written>;
  };
}

export interface LearnOptions {
  /** The outcome column's header; default: found by name (Converted, IsConverted, y, Closed Won...). */
  outcome?: string;
  /** Columns flagged as filled after contact, used anyway. */
  keep?: string[];
  folds?: number;
  seed?: number;
  balance?: boolean;
  hotShare?: number;
  warmShare?: number;
  /** Instead of hotShare: hot is the top group by score that converts at least this often (0-1). */
  hotRate?: number;
  asOf?: string;
  /** After each cross-validation fold and the final fit (steps = folds + 1). */
  onProgress?: (progress: { step: number; steps: number }) => void;
}
export interface BacktestReport {
  leads: number;
  unknown: number;
  converted: number;
  rate: number | null;
  by_temperature: Record<Temperature, { leads: number; converted: number; rate: number | null }>;
  lift_hot_over_cold: number | null;
  auc: number | null;
  hot: { precision: number | null; recall: number | null };
  deciles: { decile: number; leads: number; converted: number; rate: number; min_score: number; max_score: number }[];
  rules: { id: string; label: string; axis: 'fit' | 'engagement' | 'disqualifier'; fired: number; converted: number; rate: number | null }[];
}
export interface LearnReport {
  rows: number;
  unknown: number;
  converted: number;
  outcome: string;
  columns: { header: string; use: 'numeric' | 'log_count' | 'category' | 'excluded'; why?: string }[];
  leakage: { header: string; kept: boolean }[];
  folds: number;
  cv: { auc: number | null; auc_points: number | null; rounding_cost: number | null;
        by_temperature: Record<Temperature, { leads: number; converted: number; rate: number }>;
        deciles: BacktestReport['deciles']; lift_hot_over_cold: number | null };
  coefficients: { feature: string; weight: number }[];
  /** The final regression alone. */
  fit_seconds: number;
  /** All of it: the folds, their points models and scoring. */
  seconds: number;
}

export function createScorer(options?: CreateScorerOptions): Promise<Scorer>;

/** What modelSql and modelDbt write for: the engine, the table, the key columns and the mapping. */
export interface SqlOptions {
  dialect?: 'postgres' | 'duckdb' | 'sqlite' | 'bigquery' | 'snowflake' | 'spark' | 'trino';
  table?: string;
  keys?: string[];
  columns?: Record<string, string | null> | { columns: { header: string; field?: string }[] };
  asOf?: string;
  /** Column -> its type; a typed column's number, date or yes/no is read from the value itself. */
  types?: Record<string, 'number' | 'date' | 'timestamp' | 'boolean' | 'text'>;
}

export class Scorer {
  readonly version: string;
  defaultModel(): Model;
  fields(): FieldInfo[];
  checkModel(model: Model | string): ErrorInfo[];
  scoreLead(lead: Record<string, string | number | boolean>, options?: { model?: Model | string; asOf?: string }): Explanation;
  /** Learns a points model from a list with outcomes (read whole). */
  learnModel(source: Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | ArrayBuffer | string,
             options?: LearnOptions & { sheet?: string | number }): Promise<{ model: Model; report: LearnReport }>;
  /** An Excel workbook's sheets in tab order; null when the source is no workbook. */
  workbookSheets(source: Blob | SliceableSource | ReadableStream<Uint8Array> | Uint8Array | ArrayBuffer): Promise<WorkbookSheet[] | null>;
  /** Back-tests a model (default: the built-in one) on a list with outcomes (read whole). */
  backtest(source: Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array | ArrayBuffer | string,
           options?: { model?: Model | string; compare?: Model | string; outcome?: string; asOf?: string; delimiter?: string;
                       mapping?: Record<string, string>; sheet?: string | number }):
    Promise<{ outcome: { column: string; kind: 'flag' | 'lifecycle_stage' | 'lead_status' | 'deal_stage' }; report: BacktestReport;
              compare?: { report: BacktestReport;
                          changes: { changed: number; transitions: Record<string, number>;
                                     first: { line: number; from: Temperature; to: Temperature; score_before: number; score_after: number }[] } } }>;
  /** The model as one SQL SELECT that scores a warehouse table exactly as this scorer scores a list (docs/warehouse.md). */
  modelSql(model: Model | string | undefined, options?: SqlOptions): string;
  /** The same query as a dbt project reading the table as a dbt source (docs/warehouse.md). */
  modelDbt(model: Model | string | undefined, options?: SqlOptions): { path: string; text: string }[];
  openList(options?: ListOptions): LeadList;
  scoreFile(
    source: Blob | SliceableSource | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | ArrayBuffer | ArrayBufferView | string,
    options?: ScoreFileOptions,
  ): Promise<LeadList>;
  /** Reads one part of a list for another scorer's scoreFile({parallel}), from the same source. */
  exportPart(source: Blob | SliceableSource, request: ExportPartRequest,
             options: { onPart: (part: Uint8Array) => void; signal?: AbortSignal; onProgress?: (progress: { rows: number }) => void; chunkBytes?: number }): Promise<void>;
  /** The compiled module, for createScorer({wasmModule}) in another worker. */
  readonly wasmModule: WebAssembly.Module;
  sampleCsv(options?: { rows?: number; seed?: number; asOf?: string; truth?: boolean }): Uint8Array[];
  /** Reads a small generated list in steps, so that the first real file reads at full speed; false when `signal` stopped it. */
  warmUp(options?: { signal?: AbortSignal }): Promise<boolean>;
  heapInUse(): number;
  /** What a list aims to hold at most in this build: a base plus a figure per lead. */
  memoryBudget(): { baseBytes: number; bytesPerLead: number };
  /** The module's memory (it only grows: its peak) and the heap bytes in use. */
  memory(): { wasmBytes: number; heapInUse: number };
}

export class LeadList {
  /** A workbook's facts when the list came from one, else null. */
  workbook: WorkbookFacts | null;
  push(chunk: Uint8Array | ArrayBuffer | ArrayBufferView | string): Progress;
  finish(): Summary;
  summary(): Summary;
  query(query?: ListQuery): ListPage;
  explain(row: number): Explanation;
  rescore(model: Model | string | null): Rescored;
  remap(mapping: Record<string, string>): Rescored;
  exportCsv(options: ExportOptions & { onPart: (part: Uint8Array) => void }): undefined;
  exportCsv(options?: ExportOptions): Uint8Array[];
  /** exportCsv written in parts at once by other workers (see ExportInPartsOptions.parallel). */
  exportCsvInParts<Written>(options: ExportInPartsOptions<Written>): Promise<void>;
  memory(): { listBytes: number };
  close(): void;
  /** The plan exportCsvInParts is made of (see ExportPartRequest). */
  exportPlan(cuts: number[]): ExportPartRequest['plan'] | null;
}
