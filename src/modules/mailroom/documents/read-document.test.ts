import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { degrees, PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import PDFKit from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { extractInvoice } from '../invoices/extract-invoice.ts';
import { DocumentRejected, NeedsOcr, readDocument } from './read-document.ts';

const DIR = resolve(import.meta.dirname, '../../../../../shared/data/invoices');
const haveSamples = existsSync(DIR);
const haveTesseract = (() => {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const tmp = mkdtempSync(join(tmpdir(), 'lotse-rd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Test helper: joins two little-endian single-image TIFFs into one two-page TIFF (offsets of the second shifted). */
function mergeTiffs(a: Buffer, b: Buffer): Buffer {
  const shift = a.length + (a.length % 2);
  const out = Buffer.concat([a, Buffer.alloc(shift - a.length), b]);
  const size: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };
  const ifd = b.readUInt32LE(4) + shift;
  const n = out.readUInt16LE(ifd);
  for (let k = 0; k < n; k++) {
    const e = ifd + 2 + k * 12;
    const [tag, type, count] = [out.readUInt16LE(e), out.readUInt16LE(e + 2), out.readUInt32LE(e + 4)];
    let data = e + 8;
    if ((size[type] ?? 1) * count > 4) {
      out.writeUInt32LE(out.readUInt32LE(e + 8) + shift, e + 8);
      data = out.readUInt32LE(e + 8);
    }
    if ((tag === 273 || tag === 324) && type === 4) for (let i = 0; i < count; i++) out.writeUInt32LE(out.readUInt32LE(data + 4 * i) + shift, data + 4 * i);
  }
  let off = a.readUInt32LE(4);
  for (;;) {
    const next = off + 2 + out.readUInt16LE(off) * 12;
    if (out.readUInt32LE(next) === 0) {
      out.writeUInt32LE(ifd, next);
      break;
    }
    off = out.readUInt32LE(next);
  }
  return out;
}

async function rejected(buffer: Buffer, name: string): Promise<DocumentRejected> {
  try {
    await readDocument(buffer, name);
  } catch (e) {
    if (e instanceof DocumentRejected) return e;
    throw e;
  }
  throw new Error(`${name} was not rejected`);
}

/** A real PDFKit file, optionally with an owner password only (opens without a password; copying not allowed). */
function pdfkitPdf(text: string, opts: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  return new Promise((res) => {
    const d = new PDFKit(opts);
    const parts: Buffer[] = [];
    d.on('data', (b: Buffer) => parts.push(b));
    d.on('end', () => res(Buffer.concat(parts)));
    d.fontSize(14).text(text);
    d.end();
  });
}

async function textPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  text.split('\n').forEach((l, i) => page.drawText(l, { x: 50, y: 780 - i * 18, size: 12, font }));
  return Buffer.from(await doc.save());
}

describe('bad input gets a clear reason', () => {
  it('zero-byte file', async () => {
    expect((await rejected(Buffer.alloc(0), 'leer.pdf')).message).toBe('leer.pdf: Die Datei ist leer (0 Byte).');
  });

  it('truncated PDF', async () => {
    const pdf = await textPdf('Hallo');
    const e = await rejected(pdf.subarray(0, Math.floor(pdf.length / 3)), 'halb.pdf');
    expect(e.message).toMatch(/^halb\.pdf: PDF-Struktur beschädigt/);
    // pdfjs' English message ("Invalid PDF structure.") stays out of the German reason
    expect(e.message).not.toMatch(/Invalid|structure/i);
    const tiny = await rejected(Buffer.from('%PDF-1.7\n1 0 obj'), 'kaputt.pdf');
    expect(tiny.message).toMatch(/^kaputt\.pdf: PDF-Struktur beschädigt/);
    expect(tiny.message).not.toMatch(/[A-Z][a-z]+ PDF structure/);
  });

  it('truncated e-invoice XML names the last line and the open element', async () => {
    const xml = '<?xml version="1.0"?>\n<ubl:Invoice xmlns:ubl="urn:x" xmlns:cbc="urn:y">\n  <cbc:ID>1</cbc:ID>\n  <cac:AccountingSupplierParty>\n    <cac:Party>\n';
    const e = await rejected(Buffer.from(xml), 'abgeschnitten.xml');
    expect(e.message).toBe('abgeschnitten.xml: kein wohlgeformtes XML – Datei endet unerwartet in Zeile 5: 3 Elemente, zuletzt „Party“ nicht geschlossen – die Datei ist unvollständig.');
    const wrong = await rejected(Buffer.from('<?xml version="1.0"?>\n<Invoice>\n<ID>1</Nr>\n</Invoice>'), 'falsch.xml');
    expect(wrong.message).toBe('falsch.xml: kein wohlgeformtes XML – Zeile 3, Spalte 6: schließendes Tag „Nr“ passt nicht zu „ID“ (geöffnet in Zeile 3).');
  });

  it('encrypted PDF (password required)', async () => {
    // pdf-lib cannot encrypt; a Standard security handler whose /U does not match the empty user
    // password makes every reader ask for a password, which is what matters here.
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Geheim', { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
    const enc = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, O: PDFHexString.of('00'.repeat(32)), U: PDFHexString.of('11'.repeat(32)), P: -4 });
    doc.context.trailerInfo.Encrypt = doc.context.register(enc);
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
    const e = await rejected(Buffer.from(await doc.save({ useObjectStreams: false })), 'geheim.pdf');
    expect(e.message).toMatch(/^geheim\.pdf: PDF ist verschlüsselt/);
  });

  it('PNG declaring 70000 × 70000 pixels is refused before decoding', async () => {
    const b = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
    b.writeUInt32BE(13, 8);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(70000, 16);
    b.writeUInt32BE(70000, 20);
    const e = await rejected(b, 'riesig.png');
    expect(e.kind).toBe('image');
    expect(e.message).toMatch(/70000 × 70000 Pixeln .* zu groß/);
  });

  it('zip archive, executable renamed to .pdf, text renamed to .pdf', async () => {
    expect((await rejected(Buffer.from('PK\x03\x04aaaaaaaaaaaa', 'latin1'), 'bombe.zip')).message).toMatch(/Archive .* nicht entpackt/);
    expect((await rejected(Buffer.from('\x7fELF\x02\x01\x01', 'latin1'), 'rechnung.pdf')).message).toMatch(/nicht unterstützt – die Endung „\.pdf“ passt nicht/);
    expect((await rejected(Buffer.from('nur Text'), 'rechnung.pdf')).message).toMatch(/Endung „\.pdf“ passt nicht zum Inhalt/);
  });

  it('over-size file', async () => {
    const e = await rejected(Buffer.alloc(50 * 1024 * 1024 + 1), 'gross.pdf');
    expect(e.message).toMatch(/erlaubt sind höchstens 50 MB/);
  });
});

describe('reading', () => {
  it('a PDF with a text layer: kind pdf, no OCR, invoice fields from text', async () => {
    const r = await readDocument(await textPdf('Muster Bau GmbH\nRechnung Nr. 2026-17 vom 03.03.2026\nNettobetrag 100,00 EUR\nUSt. gesamt 19,00 EUR\nRechnungsbetrag 119,00 EUR'), 'r.pdf');
    expect(r).toMatchObject({ kind: 'pdf', ocr: false, pages: 1 });
    expect(r.invoice?.json).toMatchObject({ format: 'ocr', invoiceNumber: '2026-17', issueDate: '2026-03-03', totals: { gross: 119, net: 100, tax: 19 } });
  });

  it('a PDF with an XML attachment that is no invoice is read as a document', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Sehr geehrte Damen und Herren, anbei die Daten zum Antrag.', { x: 50, y: 780, size: 11, font: await doc.embedFont(StandardFonts.Helvetica) });
    await doc.attach(Buffer.from('<?xml version="1.0"?><Antrag><Name>x</Name></Antrag>'), 'daten.xml', { mimeType: 'application/xml' });
    const r = await readDocument(Buffer.from(await doc.save()), 'antrag.pdf');
    expect(r).toMatchObject({ kind: 'pdf', invoice: null });
  });

  it('a short text PDF with only an owner password is read from its text layer, not OCR\'d', async () => {
    const owner = await pdfkitPdf('Bauantrag Carport Az. 63-0457/2026', { ownerPassword: 'owner', permissions: { printing: 'highResolution' }, pdfVersion: '1.7' });
    expect(owner.toString('latin1')).toContain('/Encrypt');
    const r = await readDocument(owner, 'eigentuemer.pdf', { ocr: 'defer' });
    expect(r).toMatchObject({ kind: 'pdf', ocr: false, pages: 1 });
    expect(r.text).toContain('Bauantrag Carport');
    expect(r.identifiers).toMatchObject({ aktenzeichen: ['63-0457/2026'] });
    // a user password still means: cannot be read
    const user = await pdfkitPdf('Geheim', { userPassword: 'geheim', ownerPassword: 'owner', pdfVersion: '1.7' });
    expect((await rejected(user, 'geheim2.pdf')).message).toMatch(/^geheim2\.pdf: PDF ist verschlüsselt/);
  });

  it('a letter PDF: identifiers instead of invoice fields', async () => {
    const r = await readDocument(await textPdf('Sehr geehrte Damen und Herren,\nzum Aktenzeichen 63-0457/2026 bitten wir um Auskunft.'), 'brief.pdf');
    expect(r.invoice).toBeNull();
    expect(r.identifiers).toMatchObject({ aktenzeichen: ['63-0457/2026'] });
  });

  it('an e-mail (.eml)', async () => {
    const eml = 'From: a@example.org\r\nTo: poststelle@northeim.example\r\nSubject: =?UTF-8?Q?Stra=C3=9Fenlaterne?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDie Laterne ist defekt.\r\n';
    const r = await readDocument(Buffer.from(eml), 'x.eml');
    expect(r).toMatchObject({ kind: 'email', subject: 'Straßenlaterne' });
    expect(r.text).toContain('Laterne ist defekt');
  });

  it.skipIf(!haveSamples)('defers OCR for the intake', async () => {
    await expect(readDocument(readFileSync(join(DIR, 'scan-EN16931_Einfach.pdf')), 'scan.pdf', { ocr: 'defer' })).rejects.toBeInstanceOf(NeedsOcr);
  });
});

describe.skipIf(!haveSamples || !haveTesseract)('OCR with tesseract (real run)', () => {
  it('reads the scanned invoice sample: number, date, gross', async () => {
    const r = await readDocument(readFileSync(join(DIR, 'scan-XRECHNUNG_Einfach.pdf')), 'scan-XRECHNUNG_Einfach.pdf');
    expect(r).toMatchObject({ kind: 'scan', ocr: true, pages: 3 });
    expect(r.invoice?.json).toMatchObject({ format: 'ocr', invoiceNumber: '471102', issueDate: '2018-03-05', totals: { gross: 529.87 } });
    expect(r.ocrConfidence).toBeGreaterThan(0.8);
  }, 60_000);

  it('reads a PNG page and a page that lies on its side', async () => {
    execFileSync('pdftoppm', ['-r', '150', '-f', '2', '-l', '2', '-png', join(DIR, 'scan-EN16931_Einfach.pdf'), join(tmp, 'p')]);
    const pngFile = readdirSync(tmp).find((f) => f.endsWith('.png'))!;
    const png = readFileSync(join(tmp, pngFile));
    const r = await readDocument(png, 'seite.png');
    expect(r.kind).toBe('image');
    expect(r.invoice?.json.totals.gross).toBe(529.87);
    expect(await extractInvoice(png, 'seite.png')).toMatchObject({ format: 'ocr', totals: { gross: 529.87 } });

    // a two-page TIFF (as a scanner writes it): tesseract reads both pages
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-tiff', join(DIR, 'scan-EN16931_Einfach.pdf'), join(tmp, 't')]);
    const tifs = readdirSync(tmp).filter((f) => f.endsWith('.tif')).sort();
    const tiff = mergeTiffs(readFileSync(join(tmp, tifs[0]!)), readFileSync(join(tmp, tifs[1]!)));
    const t = await readDocument(tiff, 'scan.tif');
    expect(t).toMatchObject({ kind: 'image', pages: 2 });
    expect(t.invoice?.json).toMatchObject({ invoiceNumber: '471102', issueDate: '2018-03-05', totals: { gross: 529.87 } });

    // the same page turned by 90° inside a PDF: OSD finds the orientation, the page is read upright
    const doc = await PDFDocument.create();
    const img = await doc.embedPng(png);
    const page = doc.addPage([img.height, img.width]);
    page.drawImage(img, { x: 0, y: img.width, width: img.width, height: img.height, rotate: degrees(-90) });
    const turned = await readDocument(Buffer.from(await doc.save()), 'quer.pdf');
    expect(turned.kind).toBe('scan');
    expect(turned.invoice?.json.totals.gross).toBe(529.87);
  }, 120_000);
});
