// Where a list's bytes come from (a File, a Blob, a stream, an iterable or bytes) and how they
// are pushed into a list: in pieces, with a turn for other work now and then.
import { LeadScorerError, checkAborted } from './errors.mjs';

// A file read from memory never waits: other work gets a turn at least this often (ms).
const YIELD_MS = 50;

export function asBytes(chunk) {
  if (chunk instanceof Uint8Array) return chunk;
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'a chunk is a Uint8Array, an ArrayBuffer or a string' });
}

/**
 * Pushes `pieces` into `list`, calling onProgress after each. A file read from memory never waits:
 * other work (a worker's queries, a cancel) gets its turn every few dozen milliseconds.
 */
export async function feedPieces(list, pieces, { signal, onProgress }) {
  let yielded = performance.now();
  for await (const piece of pieces) {
    checkAborted(signal);
    const progress = list.push(piece);  // not inside onProgress?.(): it must run without one
    onProgress?.(progress);
    if (performance.now() - yielded > YIELD_MS) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    }
  }
  checkAborted(signal);
}

/** A File, a Blob, or anything else with a size and slice(from, to) giving a Blob, a stream or bytes. */
export function isSliceable(source) {
  return typeof source?.size === 'number' && typeof source.slice === 'function' && !ArrayBuffer.isView(source);
}

let collectorHint = null;  // see blobReader

/** Synchronous reads of a Blob/File where the platform has them (workers), else undefined. */
export function blobReader(source) {
  if (typeof Blob === 'undefined' || !(source instanceof Blob) || typeof FileReaderSync === 'undefined') return undefined;
  const reader = new FileReaderSync();
  return (offset, length) => {
    try {
      // A read's buffer is the browser's memory, which the collector does not count: the garbage
      // of a sort or a search (a whole file read again) piled up before it ran. A buffer as large
      // that it does count (never written, so it takes no memory) makes it collect as often as it
      // should.
      collectorHint = new ArrayBuffer(length);
      return new Uint8Array(reader.readAsArrayBuffer(source.slice(offset, offset + length)));
    } catch {
      return null;  // the file changed or went away: the list reports an io.error
    }
  };
}

/**
 * The chunks of `source` regrouped into pieces of `size` bytes (the last may be shorter), so a
 * stream cut small (a File's is cut in 64 KiB) costs few calls into WebAssembly. Each piece is
 * used before the next is asked for: small chunks share one buffer.
 */
export async function* piecesOf(source, size) {
  const buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of chunksOf(source)) {
    let at = 0;
    if (filled === 0) {
      for (; chunk.length - at >= size; at += size) yield chunk.subarray(at, at + size);
    }
    while (at < chunk.length) {
      const take = Math.min(size - filled, chunk.length - at);
      buffer.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === size) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** All the bytes of a source, in one buffer (for work that needs the whole list at once). */
export async function wholeOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || typeof source === 'string') return asBytes(source);
  const parts = [];
  let length = 0;
  for await (const chunk of chunksOf(source)) {
    parts.push(chunk);
    length += chunk.length;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** Chunks of bytes from a Blob/File, a ReadableStream, an (async) iterable, or bytes. */
export async function* chunksOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || typeof source === 'string') {
    yield asBytes(source);
    return;
  }
  const stream = typeof source.stream === 'function' ? source.stream() : source;
  if (typeof stream.getReader === 'function') {
    const reader = stream.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        yield asBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  if (stream[Symbol.asyncIterator] || stream[Symbol.iterator]) {
    for await (const chunk of stream) yield asBytes(chunk);
    return;
  }
  throw new LeadScorerError({ code: 'usage.invalid_argument', message: 'expected a File, Blob, stream or bytes' });
}
