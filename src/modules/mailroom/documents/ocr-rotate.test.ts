import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { degrees, PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from './read-document.ts';
import { extractTiffPage, joinTiffs, splitTiff, tiffPageOffsets } from './tiff.ts';

const DIR = resolve(import.meta.dirname, '../../../../../shared/data/invoices');
const SCAN = join(DIR, 'scan-EN16931_Einfach.pdf');
const haveTools = (() => {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return existsSync(SCAN);
  } catch {
    return false;
  }
})();
const tmp = mkdtempSync(join(tmpdir(), 'lotse-rot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Page `n` (1-based) of the scanned sample, turned clockwise by `deg` (as a scanner fed it sideways), as a one-page PDF. */
async function turnedPage(n: number, deg: number): Promise<string> {
  const src = await PDFDocument.load(readFileSync(SCAN));
  const out = await PDFDocument.create();
  const [p] = await out.copyPages(src, [n - 1]);
  p!.setRotation(degrees(deg));
  out.addPage(p!);
  const file = join(tmp, `p${n}-r${deg}.pdf`);
  writeFileSync(file, await out.save());
  return file;
}

/** Renders a one-page PDF as an image file with pdftoppm (`-tiff`, `-png`, `-jpeg`) and returns its bytes. */
function render(pdf: string, format: string, extra: string[] = []): Buffer {
  const base = `${pdf}.${format}`;
  execFileSync('pdftoppm', ['-r', '150', '-gray', `-${format}`, '-singlefile', ...extra, pdf, base]);
  const file = readdirSync(tmp).find((f) => join(tmp, f).startsWith(base) && f !== `${base.split('/').pop()}`)!;
  return readFileSync(join(tmp, file));
}

describe.skipIf(!haveTools)('TIFF pages (split, join, orientation tag)', () => {
  let a: Buffer;
  let b: Buffer;
  beforeAll(async () => {
    a = render(await turnedPage(1, 0), 'tiff');
    b = render(await turnedPage(2, 0), 'tiff', ['-tiffcompression', 'lzw']);
  });

  it('joins and splits pages without touching the image data', () => {
    const both = joinTiffs([a, b]);
    expect(tiffPageOffsets(both)).toHaveLength(2);
    const pages = splitTiff(both)!;
    expect(pages).toHaveLength(2);
    // the copied page equals the page copied from its own file
    expect(pages[0]!.page.equals(extractTiffPage(a, tiffPageOffsets(a)![0]!)!)).toBe(true);
    expect(pages[1]!.page.equals(extractTiffPage(b, tiffPageOffsets(b)![0]!)!)).toBe(true);
    expect(splitTiff(both, 1)).toHaveLength(1);
  });

  it('sets the Orientation tag and rejects what is no classic TIFF', () => {
    const page = extractTiffPage(a, tiffPageOffsets(a)![0]!, 6)!;
    const n = page.readUInt16LE(8);
    const tags = Array.from({ length: n }, (_, i) => [page.readUInt16LE(10 + i * 12), page.readUInt16LE(18 + i * 12)]);
    expect(tags.find(([t]) => t === 274)).toEqual([274, 6]);
    expect(tags.map(([t]) => t)).toEqual([...tags.map(([t]) => t)].sort((x, y) => x! - y!));
    expect(tiffPageOffsets(Buffer.from('not a tiff at all'))).toBeNull();
    const loop = Buffer.from(a);
    const first = loop.readUInt32LE(4);
    loop.writeUInt32LE(first, first + 2 + loop.readUInt16LE(first) * 12); // the first IFD points at itself
    expect(tiffPageOffsets(loop)).toBeNull();
  });
});

describe.skipIf(!haveTools)('OCR of turned and skewed scans (real tesseract run)', () => {
  it('a two-page TIFF with one page on its side and one upside down is read upright', async () => {
    const tiff = joinTiffs([render(await turnedPage(1, 90), 'tiff'), render(await turnedPage(2, 180), 'tiff')]);
    const r = await readDocument(tiff, 'scan-gedreht.tif');
    expect(r).toMatchObject({ kind: 'image', ocr: true, pages: 2 });
    expect(r.invoice?.json).toMatchObject({ invoiceNumber: '471102', issueDate: '2018-03-05', totals: { gross: 529.87 } });
    expect(r.ocrConfidence).toBeGreaterThan(0.75);
  }, 180_000);

  it('a JPEG lying on its side and a PNG upside down', async () => {
    const jpg = await readDocument(render(await turnedPage(2, 270), 'jpeg'), 'seite.jpg');
    expect(jpg.invoice?.json.totals.gross).toBe(529.87);
    const png = await readDocument(render(await turnedPage(2, 180), 'png'), 'seite.png');
    expect(png.invoice?.json.totals.gross).toBe(529.87);
  }, 180_000);

  it.each([4, -2])('pages scanned %s° askew at 300 dpi: tesseract and the layout step straighten the lines, the fields are still found', async (angle) => {
    const src = await PDFDocument.load(readFileSync(SCAN));
    const out = await PDFDocument.create();
    for (const n of [0, 1]) {
      const [embedded] = await out.embedPdf(src, [n]);
      const page = out.addPage([embedded!.width, embedded!.height]);
      page.drawPage(embedded!, { x: 20, y: 0, rotate: degrees(angle) });
    }
    const name = `schief${angle}`;
    const file = join(tmp, `${name}.pdf`);
    writeFileSync(file, await out.save());
    execFileSync('pdftoppm', ['-r', '300', '-gray', '-tiff', '-tiffcompression', 'lzw', file, join(tmp, name)]);
    const pages = readdirSync(tmp).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.tif')).sort().map((f) => readFileSync(join(tmp, f)));
    expect(pages).toHaveLength(2);
    const r = await readDocument(joinTiffs(pages), 'schief.tif');
    expect(r.invoice?.json).toMatchObject({ invoiceNumber: '471102', issueDate: '2018-03-05', totals: { gross: 529.87 } });
  }, 180_000);
});
