// A file on disk as the scorer's sliceable source in Node ({size, slice(from, to)}): slices are
// file streams, which Node reads several times faster than a file-backed Blob's.
import { createReadStream, statSync } from 'node:fs';

export function fileSlices(file, chunkBytes = 1 << 20) {
  return {
    size: statSync(file).size,
    slice: (from, to) => (to > from ? createReadStream(file, { start: from, end: to - 1, highWaterMark: chunkBytes }) : new Uint8Array(0)),
  };
}
