import { LIMITS } from './limits.ts';

/** What a file is, decided by its first bytes (never by the file name alone). */
export type SniffedType =
  | { mime: 'application/pdf' }
  | { mime: 'application/xml' }
  | { mime: 'image/png' | 'image/jpeg' | 'image/tiff'; width: number | null; height: number | null; pages: number }
  | { mime: 'message/rfc822' }
  | { mime: 'application/zip' | 'application/gzip' | 'image/gif' | 'image/webp' | 'image/bmp' | 'application/x-executable' | 'application/octet-stream' }
  | { mime: 'text/plain' };

const startsWith = (b: Buffer, sig: number[], at = 0): boolean => sig.every((v, i) => b[at + i] === v);

function pngSize(b: Buffer): { width: number; height: number } | null {
  // 8-byte signature, then the IHDR chunk: length(4) "IHDR"(4) width(4) height(4)
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    // SOF0…SOF15 except DHT (C4), JPG (C8), DAC (CC) carry height and width
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    if (marker === 0xda) return null; // start of scan without a frame header
    i += 2 + len;
  }
  return null;
}

/** Walks the TIFF IFD chain: the largest page size and the page count (bounded, loops detected). */
function tiffInfo(b: Buffer): { width: number | null; height: number | null; pages: number } {
  const le = b[0] === 0x49;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  let off = u32(4);
  let pages = 0;
  let width: number | null = null;
  let height: number | null = null;
  const seen = new Set<number>();
  while (off > 0 && off + 2 <= b.length && !seen.has(off) && pages <= LIMITS.maxPages + 1) {
    seen.add(off);
    pages++;
    const n = u16(off);
    let w = 0;
    let h = 0;
    for (let k = 0; k < n; k++) {
      const e = off + 2 + k * 12;
      if (e + 12 > b.length) break;
      const tag = u16(e);
      const type = u16(e + 2);
      const val = type === 3 ? u16(e + 8) : u32(e + 8);
      if (tag === 256) w = val;
      if (tag === 257) h = val;
    }
    if (w * h > (width ?? 0) * (height ?? 0)) {
      width = w;
      height = h;
    }
    const nextAt = off + 2 + n * 12;
    off = nextAt + 4 <= b.length ? u32(nextAt) : 0;
  }
  return { width, height, pages };
}

/**
 * Detects the type of a file from its magic bytes and, for images, reads the pixel size from the
 * header without decoding the image.
 */
export function sniff(b: Buffer): SniffedType {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { mime: 'application/pdf' }; // %PDF-
  // A PDF may have junk before the header (allowed within the first 1024 bytes)
  if (b.subarray(0, 1024).includes('%PDF-')) return { mime: 'application/pdf' };
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    const s = pngSize(b);
    return { mime: 'image/png', width: s?.width ?? null, height: s?.height ?? null, pages: 1 };
  }
  if (startsWith(b, [0xff, 0xd8, 0xff])) {
    const s = jpegSize(b);
    return { mime: 'image/jpeg', width: s?.width ?? null, height: s?.height ?? null, pages: 1 };
  }
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return { mime: 'image/tiff', ...tiffInfo(b) };
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return { mime: 'application/zip' };
  if (startsWith(b, [0x1f, 0x8b])) return { mime: 'application/gzip' };
  if (b.toString('latin1', 0, 4) === 'GIF8') return { mime: 'image/gif' };
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return { mime: 'image/webp' };
  if (b.toString('latin1', 0, 2) === 'BM') return { mime: 'image/bmp' };
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46]) || b.toString('latin1', 0, 2) === 'MZ') return { mime: 'application/x-executable' };
  const head = stripBom(b.subarray(0, 2048)).toString('latin1').trimStart();
  if (head.startsWith('<?xml') || /^<([A-Za-z_][\w.-]*:)?(Invoice|CreditNote|CrossIndustryInvoice|CrossIndustryDocument)\b/.test(head)) return { mime: 'application/xml' };
  if (/^(Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|X-[\w-]+):/im.test(head.split(/\r?\n\r?\n/)[0] ?? '') && /^(From|Subject|Date):/im.test(head)) {
    return { mime: 'message/rfc822' };
  }
  if (b.subarray(0, 8192).includes(0)) return { mime: 'application/octet-stream' };
  return { mime: 'text/plain' };
}

/** Removes a UTF-8 or UTF-16 byte order mark. */
export function stripBom(b: Buffer): Buffer {
  if (startsWith(b, [0xef, 0xbb, 0xbf])) return b.subarray(3);
  return b;
}

/**
 * Decodes text strictly as UTF-8 (with BOM); falls back to Windows-1252 only when the bytes are not
 * UTF-8 and contain no control characters that no text encoding uses.
 * @returns null when the bytes are no decodable text.
 */
export function decodeText(b: Buffer): { text: string; charset: string } | null {
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) {
    try {
      return { text: new TextDecoder(b[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(b.subarray(2)), charset: 'utf-16' };
    } catch {
      return null;
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(stripBom(b)), charset: 'utf-8' };
  } catch {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x08\x0e-\x1a\x1c-\x1f]/.test(b.toString('latin1'))) return null;
    return { text: new TextDecoder('windows-1252').decode(b), charset: 'windows-1252' };
  }
}
