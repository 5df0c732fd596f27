// A zip archive of text files, stored as they are (method 0): what the warehouse panel hands over
// as a dbt project; the tests also write workbooks with it, their parts deflated. Names and texts
// are UTF-8 (flag bit 11); sizes stay far below zip64's.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as zip uses) of `bytes`. */
export function crc32(bytes) {
  let c = 0xFFFFFFFF;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
  return (c ^ 0xFFFFFFFF) >>> 0;
}

/** `date` as MS-DOS time and date words (two-second steps, from 1980). */
function dosTime(date) {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** The zip of `files` ([{path, text}]) as bytes, each entry dated `date`. */
export function zipTexts(files, date = new Date()) {
  const encoder = new TextEncoder();
  return zipEntries(files.map(({ path, text }) => {
    const data = encoder.encode(text);
    return { path, data, crc: crc32(data), size: data.length };
  }), date);
}

/**
 * The zip of `entries` ([{path, data, crc, size, method}]): `data` as stored in the archive
 * (method 0, the default, or raw DEFLATE for method 8), `size` and `crc` those of its content.
 */
export function zipEntries(entries, date = new Date()) {
  const encoder = new TextEncoder();
  const { time, date: day } = dosTime(date);
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { path, data, crc, size, method = 0 } of entries) {
    const name = encoder.encode(path);
    // Fields common to the local header (from its offset 4) and the central one (from offset 6).
    const common = (view, at) => {
      view.setUint16(at, 20, true);            // version needed: 2.0
      view.setUint16(at + 2, 0x0800, true);    // UTF-8 names
      view.setUint16(at + 4, method, true);
      view.setUint16(at + 6, time, true);
      view.setUint16(at + 8, day, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, data.length, true);
      view.setUint32(at + 18, size, true);
      view.setUint16(at + 22, name.length, true);
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034B50, true);
    common(lv, 4);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014B50, true);
    cv.setUint16(4, 20, true);                 // made by: 2.0
    common(cv, 6);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const directorySize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054B50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
