// Excel workbooks (.xlsx, .xlsm) read as lists. The core reads the ZIP directory and the XML and
// checks every limit (workbook.hpp); here the archive's bytes are read by their place and each part
// is inflated by the platform's DecompressionStream. The chosen sheet comes out as CSV text, kept
// as a Blob: the list reads its rows again from that copy, as it does from a CSV file.
import { checkAborted, unwrap } from './errors.mjs';
import { chunksOf, isSliceable, wholeOf } from './sources.mjs';

// The archive's last bytes that hold the record locating its directory (kZipTailBytes).
const TAIL_BYTES = 65536 + 22 + 20;
const LOCAL_HEADER_BYTES = 30;
// A worksheet's first bytes, enough to hold its <dimension> (the row count the picker shows).
const SHEET_START_BYTES = 4096;
// The CSV text is gathered into Blobs of this size as it comes (a Blob of Blobs copies nothing).
const BLOB_BYTES = 32 << 20;
const COUNTED_PIECE_BYTES = 16 << 10;
// How often reading a workbook tells its progress: after each of its parts, and each MiB of one.
const PROGRESS_BYTES = 1 << 20;

const isZip = (bytes) => bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * `source` as a Blob when it is a ZIP archive (a workbook, or what the core will say it is), else
 * null and a source that gives the same bytes as `source` (a stream's first chunk is read to tell).
 * A workbook from a stream or an iterable is read whole first: its directory is at its end.
 */
export async function workbookOf(source) {
  if (isSliceable(source)) return { workbook: isZip(await bytesAt(source, 0, 4)) ? source : null, source };
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || typeof source === 'string') {
    const bytes = typeof source === 'string' ? null : new Uint8Array(source.buffer ?? source, source.byteOffset ?? 0, source.byteLength);
    return { workbook: bytes && isZip(bytes) ? new Blob([bytes]) : null, source };
  }
  const chunks = chunksOf(source);
  const first = await chunks.next();
  const rest = (async function* () {
    if (!first.done) yield first.value;
    yield* chunks;
  })();
  if (first.done || !isZip(first.value)) return { workbook: null, source: rest };
  return { workbook: new Blob([await wholeOf(rest)]), source: null };
}

// The bytes [from, to) of a File, Blob or other sliceable source.
const bytesAt = (source, from, to) => wholeOf(source.slice(from, to));

// A ReadableStream of the source's bytes (a Blob's own, or one over its chunks).
function streamOf(source) {
  if (typeof source.stream === 'function') return source.stream();
  const chunks = chunksOf(source);
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel() { chunks.return?.(); },
  });
}

/** Starts a reader of `blob`'s parts: the directory is read and the archive checked. */
async function openReader(module, blob, options) {
  const reader = new module.Workbook();
  try {
    unwrap(reader.start(JSON.stringify(options)));
    const tailStart = Math.max(0, blob.size - TAIL_BYTES);
    const place = unwrap(reader.find_directory(await bytesAt(blob, tailStart, blob.size), blob.size));
    unwrap(reader.open(await bytesAt(blob, place.offset, place.offset + place.size)));
    return reader;
  } catch (error) {
    reader.delete();
    throw error;
  }
}

/**
 * The stream of a part's bytes, inflated when deflated, and `read()`: how many of its bytes in
 * the archive went in so far (the core compares the two to see a ZIP bomb early).
 */
async function partStream(reader, blob, part) {
  const header = await bytesAt(blob, part.headerOffset, part.headerOffset + LOCAL_HEADER_BYTES);
  const start = part.headerOffset + unwrap(reader.data_offset(header));
  // Counted in small pieces: the inflater then takes little more than it has inflated.
  let read = 0;
  const counted = streamOf(blob.slice(start, start + part.compressedSize)).pipeThrough(new TransformStream({
    transform(chunk, controller) {
      for (let at = 0; at < chunk.length; at += COUNTED_PIECE_BYTES) {
        const piece = chunk.subarray(at, at + COUNTED_PIECE_BYTES);
        read += piece.length;
        controller.enqueue(piece);
      }
    },
  }));
  const stream = part.method === 0 ? counted : counted.pipeThrough(new DecompressionStream('deflate-raw'));
  return { stream, read: () => read };
}

/**
 * Feeds every part the reader asks for; the sheet's CSV text goes to `onText`. `onBytes(n)` is
 * told the archive's bytes read so far.
 */
async function readParts(reader, blob, { onText, onBytes, signal }) {
  let read = 0;
  let told = 0;
  for (let part = unwrap(reader.next_part()); part; part = unwrap(reader.next_part())) {
    const { stream, read: compressedRead } = await partStream(reader, blob, part);
    const chunks = stream.getReader();
    try {
      for (;;) {
        checkAborted(signal);
        let next;
        try {
          next = await chunks.read();
        } catch {
          unwrap(reader.inflate_failed());
        }
        if (next.done) break;
        unwrap(reader.feed(next.value, compressedRead(), onText));
        // Told as the sheet is read, not only once it is: it is most of the workbook.
        if (read + compressedRead() - told >= PROGRESS_BYTES) onBytes?.((told = read + compressedRead()));
      }
    } finally {
      chunks.cancel().catch(() => {});
    }
    unwrap(reader.end_part(onText));
    read += part.compressedSize;
    onBytes?.((told = read));
  }
}

/**
 * The sheet (`sheet`: a name or a 1-based number; default the first visible worksheet) of the
 * workbook `blob` as CSV text: {text: Blob, workbook: facts (workbook_json)}.
 */
export async function readWorkbook(module, blob, { sheet, signal, onBytes } = {}) {
  const reader = await openReader(module, blob, sheet === undefined || sheet === null || sheet === '' ? {} : { sheet });
  try {
    const blobs = [];
    let pending = [];
    let pendingBytes = 0;
    const onText = (text) => {
      pending.push(text);
      pendingBytes += text.length;
      if (pendingBytes >= BLOB_BYTES) {
        blobs.push(new Blob(pending));
        pending = [];
        pendingBytes = 0;
      }
    };
    await readParts(reader, blob, { onText, onBytes, signal });
    blobs.push(new Blob(pending));
    return { text: new Blob(blobs, { type: 'text/csv' }), workbook: unwrap(reader.facts()) };
  } finally {
    reader.delete();
  }
}

/**
 * The workbook's sheets, in tab order: [{name, visible, worksheet, rows}], rows being what the
 * worksheet's own dimension says (null when it says nothing; charts have none).
 */
export async function workbookSheets(module, blob) {
  const reader = await openReader(module, blob, { sheetsOnly: true });
  try {
    await readParts(reader, blob, {});
    const sheets = unwrap(reader.sheets());
    for (const sheet of sheets) {
      sheet.rows = sheet.entry ? await sheetRows(module, reader, blob, sheet.entry) : null;
      delete sheet.entry;
    }
    return sheets;
  } finally {
    reader.delete();
  }
}

// A worksheet's rows, from its first bytes.
async function sheetRows(module, reader, blob, entry) {
  const stream = (await partStream(reader, blob, entry)).stream.getReader();
  const start = [];
  let length = 0;
  try {
    while (length < SHEET_START_BYTES) {
      const { value, done } = await stream.read();
      if (done) break;
      start.push(value);
      length += value.length;
    }
  } catch {
    return null;  // a damaged sheet: reading it will say so
  } finally {
    stream.cancel().catch(() => {});
  }
  const rows = module.sheet_rows(await wholeOf(new Blob(start)));
  return rows < 0 ? null : rows;
}
