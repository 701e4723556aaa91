/**
 * Just enough TIFF structure to read a scanner's multi-page TIFF page by page: list the pages,
 * copy one page (its tags, out-of-line values and strips/tiles, untouched — no decoding) into a
 * file of its own, and set the page's Orientation tag. Tesseract (Leptonica) honours Orientation,
 * so a page scanned sideways or upside down is read upright without decoding or re-encoding pixels.
 * Classic TIFF only (not BigTIFF); anything else returns null and the caller reads the file whole.
 */

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
const TAG = { orientation: 274, stripOffsets: 273, stripByteCounts: 279, tileOffsets: 324, tileByteCounts: 325 } as const;
/** Tags pointing at other IFDs or whole-file structures: dropped from a copied page. */
const DROP = new Set([288, 289, 330, 513, 514, 34665, 34853, 40965]);
const MAX_PAGES = 10_000;

/** Clockwise rotation that makes the page upright → TIFF Orientation value that displays it so. */
export const ORIENTATION_FOR_ROTATION: Record<number, number> = { 0: 1, 90: 6, 180: 3, 270: 8 };

interface Reader {
  le: boolean;
  u16(o: number): number;
  u32(o: number): number;
}

function reader(buf: Buffer): Reader | null {
  if (buf.length < 8) return null;
  const mark = buf.toString('latin1', 0, 2);
  if (mark !== 'II' && mark !== 'MM') return null;
  const le = mark === 'II';
  const r: Reader = { le, u16: (o) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o)), u32: (o) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o)) };
  return r.u16(2) === 42 ? r : null;
}

/** Offsets of the page IFDs in file order, or null when this is not a classic TIFF or its chain is broken. */
export function tiffPageOffsets(buf: Buffer): number[] | null {
  const r = reader(buf);
  if (!r) return null;
  const out: number[] = [];
  const seen = new Set<number>();
  let off = r.u32(4);
  while (off !== 0) {
    if (seen.has(off) || off + 2 > buf.length || out.length >= MAX_PAGES) return null;
    const n = r.u16(off);
    if (off + 2 + n * 12 + 4 > buf.length) return null;
    seen.add(off);
    out.push(off);
    off = r.u32(off + 2 + n * 12);
  }
  return out.length ? out : null;
}

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** The value bytes (inline or copied from their offset), in the file's byte order. */
  value: Buffer;
}

interface Page {
  entries: Entry[];
  /** The entry holding the strip or tile offsets (rewritten when written). */
  offsets: Entry;
  /** The strips or tiles, copied as they are. */
  chunks: Buffer[];
}

/** Reads one page (IFD) with its values and image data, or null when it cannot be copied safely. */
function readPage(buf: Buffer, r: Reader, ifdOffset: number): Page | null {
  const n = r.u16(ifdOffset);
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const e = ifdOffset + 2 + i * 12;
    const tag = r.u16(e);
    const type = r.u16(e + 2);
    const count = r.u32(e + 4);
    if (DROP.has(tag) || !TYPE_SIZE[type]) continue;
    const size = TYPE_SIZE[type]! * count;
    const at = size <= 4 ? e + 8 : r.u32(e + 8);
    if (at + size > buf.length) return null;
    entries.push({ tag, type, count, value: Buffer.from(buf.subarray(at, at + size)) });
  }
  const numbers = (e: Entry | undefined): number[] | null => {
    if (!e || (e.type !== 3 && e.type !== 4)) return null;
    const out: number[] = [];
    for (let i = 0; i < e.count; i++) {
      if (e.type === 3) out.push(r.le ? e.value.readUInt16LE(i * 2) : e.value.readUInt16BE(i * 2));
      else out.push(r.le ? e.value.readUInt32LE(i * 4) : e.value.readUInt32BE(i * 4));
    }
    return out;
  };
  const byTag = (t: number) => entries.find((e) => e.tag === t);
  const tiled = !!byTag(TAG.tileOffsets);
  const offsets = byTag(tiled ? TAG.tileOffsets : TAG.stripOffsets);
  const starts = numbers(offsets);
  const counts = numbers(byTag(tiled ? TAG.tileByteCounts : TAG.stripByteCounts));
  if (!offsets || !starts || !counts || starts.length !== counts.length) return null;
  if (starts.some((o, i) => o + counts[i]! > buf.length)) return null;
  return { entries, offsets, chunks: starts.map((o, i) => Buffer.from(buf.subarray(o, o + counts[i]!))) };
}

/** Writes pages as one classic TIFF in the given byte order (IFD, its values, its data; then the next page). */
function writeTiff(le: boolean, pages: Page[]): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    size += b.length;
  };
  const pad = () => {
    if (size % 2) push(Buffer.alloc(1));
  };
  const w16 = (b: Buffer, o: number, v: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (b: Buffer, o: number, v: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  const header = Buffer.alloc(8);
  header.write(le ? 'II' : 'MM', 0, 'latin1');
  w16(header, 2, 42);
  w32(header, 4, 8);
  push(header);
  let nextPointer: { buf: Buffer; at: number } | null = null;
  for (const page of pages) {
    pad();
    const ifdAt = size;
    if (nextPointer) w32(nextPointer.buf, nextPointer.at, ifdAt);
    const entries = [...page.entries].sort((a, b) => a.tag - b.tag);
    const offsets = { ...page.offsets, type: 4, value: Buffer.alloc(page.chunks.length * 4) };
    const list = entries.map((e) => (e === page.offsets ? offsets : e));
    const ifd = Buffer.alloc(2 + list.length * 12 + 4);
    // Places of the out-of-line values and of the image data, after the IFD.
    let cursor = ifdAt + ifd.length;
    const even = (x: number) => x + (x % 2);
    const valueAt = list.map((e) => {
      if (e.value.length <= 4) return -1;
      cursor = even(cursor);
      const at = cursor;
      cursor += e.value.length;
      return at;
    });
    const dataAt = page.chunks.map((c) => {
      cursor = even(cursor);
      const at = cursor;
      cursor += c.length;
      return at;
    });
    dataAt.forEach((at, i) => w32(offsets.value, i * 4, at));
    w16(ifd, 0, list.length);
    list.forEach((e, i) => {
      const o = 2 + i * 12;
      w16(ifd, o, e.tag);
      w16(ifd, o + 2, e.type);
      w32(ifd, o + 4, e.count);
      if (valueAt[i]! >= 0) w32(ifd, o + 8, valueAt[i]!);
      else e.value.copy(ifd, o + 8);
    });
    nextPointer = { buf: ifd, at: ifd.length - 4 };
    push(ifd);
    list.forEach((e, i) => {
      if (valueAt[i]! < 0) return;
      pad();
      push(e.value);
    });
    for (const c of page.chunks) {
      pad();
      push(c);
    }
  }
  return Buffer.concat(parts);
}

/**
 * A single-page TIFF holding page `ifdOffset` of `buf` (image data copied as it is), with the
 * Orientation tag set to `orientation` (1–8) when given. Null when the page cannot be copied safely.
 */
export function extractTiffPage(buf: Buffer, ifdOffset: number, orientation?: number): Buffer | null {
  const r = reader(buf);
  const page = r ? readPage(buf, r, ifdOffset) : null;
  if (!r || !page) return null;
  if (orientation !== undefined) {
    const v = Buffer.alloc(2);
    if (r.le) v.writeUInt16LE(orientation, 0);
    else v.writeUInt16BE(orientation, 0);
    page.entries = page.entries.filter((e) => e.tag !== TAG.orientation);
    page.entries.push({ tag: TAG.orientation, type: 3, count: 1, value: v });
  }
  return writeTiff(r.le, [page]);
}

/** The pages of a TIFF as single-page TIFFs, or null when the file cannot be split (read it whole). */
export function splitTiff(buf: Buffer, maxPages = Infinity): { ifd: number; page: Buffer }[] | null {
  const offsets = tiffPageOffsets(buf);
  if (!offsets) return null;
  const out: { ifd: number; page: Buffer }[] = [];
  for (const ifd of offsets.slice(0, maxPages)) {
    const page = extractTiffPage(buf, ifd);
    if (!page) return null;
    out.push({ ifd, page });
  }
  return out;
}

/** Joins TIFFs of the same byte order into one multi-page TIFF (as a scanner writes it; used by tests). */
export function joinTiffs(files: Buffer[]): Buffer {
  const pages: Page[] = [];
  let le: boolean | null = null;
  for (const f of files) {
    const r = reader(f);
    const offsets = tiffPageOffsets(f);
    if (!r || !offsets || (le !== null && le !== r.le)) throw new Error('joinTiffs: klassische TIFF-Dateien gleicher Bytefolge erwartet');
    le = r.le;
    for (const o of offsets) {
      const p = readPage(f, r, o);
      if (!p) throw new Error('joinTiffs: Seite nicht lesbar');
      pages.push(p);
    }
  }
  return writeTiff(le ?? true, pages);
}
