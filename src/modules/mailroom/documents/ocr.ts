import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { deskewPgmAsync } from './deskew.ts';
import { LIMITS } from './limits.ts';
import { renderPdfPages, withTempDir } from './pdf.ts';
import { runTool } from './run-tool.ts';
import { extractTiffPage, ORIENTATION_FOR_ROTATION, splitTiff } from './tiff.ts';

/** Recorded with every OCR result. */
export const OCR_ENGINE = 'tesseract-5/deu/psm3/300dpi';

export interface OcrWord {
  page: number;
  /** tesseract's block/paragraph/line number, used to estimate the skew. */
  line: string;
  left: number;
  top: number;
  width: number;
  height: number;
  conf: number;
  text: string;
}

export interface OcrPage {
  /** Text with the page's lines rebuilt from word positions (label and value of a row stay together). */
  text: string;
  /** Mean word confidence 0–1. */
  confidence: number;
  words: number;
  /** Clockwise rotation applied to read the page (0, 90, 180, 270). */
  rotation: number;
  /** Skew in degrees (clockwise) straightened in the pixels before reading (`deskew.ts`); 0 or absent: none. */
  skew?: number;
}

export interface OcrResult {
  pages: OcrPage[];
  text: string;
  confidence: number;
  engine: string;
  /** Milliseconds spent (render + recognition). */
  ms: number;
}

/** Parses tesseract's TSV output into words. */
export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const line of tsv.split('\n').slice(1)) {
    const c = line.split('\t');
    if (c.length < 12 || c[0] !== '5') continue;
    const text = c.slice(11).join('\t').trim();
    if (!text) continue;
    words.push({ page: Number(c[1]), line: `${c[2]}.${c[3]}.${c[4]}`, left: Number(c[6]), top: Number(c[7]), width: Number(c[8]), height: Number(c[9]), conf: Number(c[10]), text });
  }
  return words;
}

/**
 * Rebuilds lines from word boxes across columns: words whose vertical centres are close form one row,
 * ordered left to right; a wide gap becomes several spaces (like `pdftotext -layout`).
 */
export function layoutText(input: OcrWord[]): string {
  let words = input;
  if (words.length === 0) return '';
  // A scanned page is often turned by a degree or two: over a page width that is more than a line
  // height, so estimate the skew from tesseract's own lines and straighten the coordinates first.
  const byLine = new Map<string, OcrWord[]>();
  for (const w of words) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  const slopes: number[] = [];
  for (const ws of byLine.values()) {
    if (ws.length < 2) continue;
    const a = ws[0]!;
    const b = ws[ws.length - 1]!;
    const dx = b.left + b.width / 2 - (a.left + a.width / 2);
    if (dx > 200) slopes.push((b.top + b.height / 2 - (a.top + a.height / 2)) / dx);
  }
  slopes.sort((x, y) => x - y);
  const slope = slopes.length >= 3 ? slopes[Math.floor(slopes.length / 2)]! : 0;
  words = words.map((w) => ({ ...w, top: w.top - slope * (w.left + w.width / 2) }));
  const heights = words.map((w) => w.height).sort((a, b) => a - b);
  const h = heights[Math.floor(heights.length / 2)] || 20;
  const sorted = [...words].sort((a, b) => a.top + a.height / 2 - (b.top + b.height / 2));
  const rows: { y: number; words: OcrWord[] }[] = [];
  for (const w of sorted) {
    const cy = w.top + w.height / 2;
    const row = rows[rows.length - 1];
    if (row && Math.abs(cy - row.y) <= h * 0.6) {
      row.words.push(w);
      row.y = (row.y * (row.words.length - 1) + cy) / row.words.length;
    } else rows.push({ y: cy, words: [w] });
  }
  return rows
    .map((r) => {
      const ws = r.words.sort((a, b) => a.left - b.left);
      let out = '';
      let prevEnd = -1;
      for (const w of ws) {
        if (prevEnd >= 0) out += w.left - prevEnd > h * 1.5 ? '    ' : ' ';
        out += w.text;
        prevEnd = w.left + w.width;
      }
      return out;
    })
    .join('\n');
}

function pageResult(words: OcrWord[], rotation: number): OcrPage {
  const scored = words.filter((w) => w.conf >= 0);
  const confidence = scored.length ? scored.reduce((s, w) => s + w.conf, 0) / scored.length / 100 : 0;
  return { text: layoutText(words), confidence, words: words.length, rotation };
}

/**
 * At most one tesseract process per core in this Lotse process, however many jobs and pages ask
 * at once (jobs run concurrently and each reads its pages in parallel).
 */
const slots = { free: availableParallelism(), waiting: [] as (() => void)[] };
async function withOcrSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((r) => slots.waiting.push(r));
  try {
    return await fn();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

async function tesseractWords(file: string): Promise<OcrWord[]> {
  const { stdout } = await withOcrSlot(() => runTool('tesseract', [file, '-', '-l', 'deu', '--psm', '3', 'tsv'], { timeoutMs: 120_000 }));
  return parseTsv(stdout.toString('utf8'));
}

/** Orientation from tesseract's OSD: the clockwise rotation that makes the page upright, or 0. */
async function detectRotation(file: string): Promise<number> {
  try {
    const { stdout } = await withOcrSlot(() => runTool('tesseract', [file, '-', '--psm', '0'], { timeoutMs: 60_000 }));
    const out = stdout.toString('utf8');
    const rotate = Number(/Rotate:\s*(\d+)/.exec(out)?.[1] ?? 0);
    const conf = Number(/Orientation confidence:\s*([\d.]+)/.exec(out)?.[1] ?? 0);
    return conf >= 1.5 && [90, 180, 270].includes(rotate) ? rotate : 0;
  } catch {
    return 0; // OSD fails on pages with too little text: keep the page as it is
  }
}

/** Rotates a binary grey PGM (P5) clockwise by 90, 180 or 270 degrees. */
export function rotatePgm(pgm: Buffer, deg: number): Buffer {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('kein PGM');
  const w = Number(header[1]);
  const h = Number(header[2]);
  const px = pgm.subarray(header[0].length);
  let out: Buffer;
  let W = w;
  let H = h;
  if (deg === 180) {
    out = Buffer.from(px.subarray(0, w * h)).reverse();
  } else {
    W = h;
    H = w;
    out = Buffer.alloc(w * h);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        // 90° cw: (x, y) → (h-1-y, x); 270° cw: (x, y) → (y, w-1-x)
        if (deg === 90) out[x * W + (h - 1 - y)] = px[row + x]!;
        else out[(w - 1 - x) * W + y] = px[row + x]!;
      }
    }
  }
  return Buffer.concat([Buffer.from(`P5\n${W} ${H}\n255\n`), out]);
}

/**
 * Straightens a skewed grey PGM page file in place (`deskew.ts`); returns the corrected angle or 0.
 * Cooperative (`deskewPgmAsync`): OCR runs in the web server's process, so the pixel work yields to the
 * event loop every few milliseconds instead of blocking it for a whole page.
 */
async function deskewPageFile(file: string): Promise<number> {
  try {
    const { angle, pgm } = await deskewPgmAsync(await readFile(file));
    if (!pgm) return 0;
    await writeFile(file, pgm);
    return angle;
  } catch {
    return 0; // not an 8-bit PGM (or unreadable): read the page as it is
  }
}

/** Wraps a PNG/JPEG into a one-page PDF turned by `deg`, so pdftoppm can render it upright. */
async function rotatedImageToPgm(image: Buffer, mime: string, deg: number, dir: string): Promise<string> {
  // pdf-lib is loaded only here (rare: rotated images), not at start-up.
  const { degrees, PDFDocument } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const img = mime === 'image/png' ? await pdf.embedPng(image) : await pdf.embedJpg(image);
  const page = pdf.addPage([img.width, img.height]);
  page.drawImage(img, { x: 0, y: 0, width: img.width, height: img.height });
  page.setRotation(degrees(deg));
  const sub = join(dir, `rot${deg}`);
  await mkdir(sub);
  const pages = await renderPdfPages(Buffer.from(await pdf.save()), sub, 72);
  return pages[0]!;
}

/** Share of longer words whose box is taller than wide: text running vertically (page turned by 90°). */
function verticalShare(words: OcrWord[]): number {
  const long = words.filter((w) => w.text.length >= 4);
  return long.length ? long.filter((w) => w.height > w.width).length / long.length : 0;
}

/** How well a page was read: confidence, enough words, and horizontal text. */
const quality = (p: OcrPage, words: OcrWord[]): number => p.confidence * Math.min(1, p.words / 15) * (1 - verticalShare(words));

/**
 * Reads one page image. A page that reads badly (few words, low confidence, or mostly vertical
 * words) is checked with OSD and read again turned; when OSD cannot tell (little text) but the
 * words run vertically, both quarter turns are tried. The best reading wins.
 */
async function ocrPageFile(file: string, rotateFallback: (deg: number) => Promise<string | null>): Promise<OcrPage> {
  const words = await tesseractWords(file);
  let best = pageResult(words, 0);
  let bestQ = quality(best, words);
  const vertical = verticalShare(words);
  if (best.words >= 15 && best.confidence >= 0.75 && vertical <= 0.4) return best;
  const osd = await detectRotation(file);
  const candidates = osd ? [osd] : vertical > 0.4 ? [90, 270] : [];
  for (const deg of candidates) {
    const turned = await rotateFallback(deg);
    if (!turned) continue;
    const w2 = await tesseractWords(turned);
    const page = pageResult(w2, deg);
    const q = quality(page, w2);
    if (q > bestQ) {
      best = page;
      bestQ = q;
    }
  }
  return best;
}

/** Runs tasks with at most `n` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

function combine(pages: OcrPage[], started: number): OcrResult {
  const words = pages.reduce((s, p) => s + p.words, 0);
  const confidence = words ? pages.reduce((s, p) => s + p.confidence * p.words, 0) / words : 0;
  return { pages, text: pages.map((p) => p.text).join('\n\f\n'), confidence, engine: OCR_ENGINE, ms: Math.round(performance.now() - started) };
}

/**
 * OCR of an image-only PDF: pages rendered at 300 dpi in grey (`pdftoppm`), read by Tesseract with the
 * German model, pages in parallel up to the core count; pages that read badly are checked for
 * orientation (OSD) and read again turned.
 */
export async function ocrPdf(buffer: Buffer, opts: { dpi?: number; maxPages?: number; parallel?: number } = {}): Promise<OcrResult> {
  const started = performance.now();
  return withTempDir(async (dir) => {
    const files = (await renderPdfPages(buffer, dir, opts.dpi ?? 300)).slice(0, opts.maxPages ?? LIMITS.maxOcrPages);
    const pages = await mapLimit(files, opts.parallel ?? availableParallelism(), async (file) => {
      const skew = await deskewPageFile(file);
      const page = await ocrPageFile(file, async (deg) => {
        const out = `${file}.r${deg}.pgm`;
        await writeFile(out, rotatePgm(await readFile(file), deg));
        return out;
      });
      return { ...page, skew };
    });
    return combine(pages, started);
  });
}

/**
 * OCR of a PNG, JPEG or (multi-page) TIFF image. A multi-page TIFF is split into its pages (copied,
 * not decoded; `tiff.ts`), read in parallel up to the core count; a page that reads badly is checked
 * with OSD and read again with the TIFF Orientation tag set (Tesseract/Leptonica turn it upright).
 * Turned PNG/JPEG pages are re-rendered upright through a one-page PDF. A TIFF that cannot be split
 * (BigTIFF, broken chain) is read whole, as it is.
 */
export async function ocrImage(buffer: Buffer, mime: string, opts: { parallel?: number } = {}): Promise<OcrResult> {
  const started = performance.now();
  return withTempDir(async (dir) => {
    const ext = mime === 'image/png' ? 'png' : mime === 'image/jpeg' ? 'jpg' : 'tif';
    const file = join(dir, `in.${ext}`);
    if (ext === 'tif') {
      const split = splitTiff(buffer, LIMITS.maxOcrPages);
      if (split) {
        const pages = await mapLimit(split, opts.parallel ?? availableParallelism(), async ({ ifd, page }, i) => {
          const pageFile = join(dir, `p${i}.tif`);
          await writeFile(pageFile, page);
          return ocrPageFile(pageFile, async (deg) => {
            const turned = extractTiffPage(buffer, ifd, ORIENTATION_FOR_ROTATION[deg]);
            if (!turned) return null;
            const out = join(dir, `p${i}.r${deg}.tif`);
            await writeFile(out, turned);
            return out;
          });
        });
        return combine(pages, started);
      }
      await writeFile(file, buffer);
      const words = await tesseractWords(file);
      const byPage = new Map<number, OcrWord[]>();
      for (const w of words) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
      const pages = [...byPage.keys()].sort((a, b) => a - b).map((p) => pageResult(byPage.get(p)!, 0));
      return combine(pages.length ? pages : [pageResult([], 0)], started);
    }
    await writeFile(file, buffer);
    // Decoded to grey through a one-page PDF (as turned images are) to measure the skew; a skewed
    // image is read from the straightened PGM, and turned from it when OSD asks for it.
    const pgm = await rotatedImageToPgm(buffer, mime, 0, dir).catch(() => null);
    const skew = pgm ? await deskewPageFile(pgm) : 0;
    const page = await ocrPageFile(skew ? pgm! : file, async (deg) => {
      try {
        if (skew) {
          const out = `${pgm}.r${deg}.pgm`;
          await writeFile(out, rotatePgm(await readFile(pgm!), deg));
          return out;
        }
        return await rotatedImageToPgm(buffer, mime, deg, dir);
      } catch {
        return null;
      }
    });
    return combine([{ ...page, skew }], started);
  });
}
