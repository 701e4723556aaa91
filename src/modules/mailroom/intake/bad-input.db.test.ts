import { deflateRawSync } from 'node:zlib';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../boot.ts';
import type { AppContext } from '../../../core/context.ts';
import type { AppRouter } from '../../../core/http/app.ts';
import { execRows } from '../../../core/db/index.ts';
import { createTestContext, testDbKind } from '../../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../../test/helpers/auth.ts';
import { STATUS_LABELS } from '../documents/routes.tsx';

const INVOICES = resolve(import.meta.dirname, '../../../../../shared/data/invoices');
const ubl = () => readFileSync(join(INVOICES, 'kosit-01.01a-ubl.xml'));

async function textPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

async function encryptedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage().drawText('Geheim', { x: 50, y: 700, font: await doc.embedFont(StandardFonts.Helvetica) });
  const enc = doc.context.obj({ Filter: 'Standard', V: 1, R: 2, O: PDFHexString.of('00'.repeat(32)), U: PDFHexString.of('11'.repeat(32)), P: -4 });
  doc.context.trailerInfo.Encrypt = doc.context.register(enc);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of('ab'.repeat(16)), PDFHexString.of('ab'.repeat(16))]);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** A real zip whose one entry inflates from ~20 KB to 20 MB of zeros (never unpacked). */
function zipBomb(): Buffer {
  const raw = Buffer.alloc(20 * 2 ** 20);
  const data = deflateRawSync(raw, { level: 9 });
  const name = Buffer.from('nullen.bin');
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(8, 8); // deflate
  h.writeUInt32LE(data.length, 18);
  h.writeUInt32LE(raw.length, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name, data]);
}

function hugePng(): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(70000, 16);
  b.writeUInt32BE(70000, 20);
  return b;
}

const mail = (id: string, headers: string, body: Buffer | string) =>
  Buffer.concat([Buffer.from(`From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nMessage-ID: <${id}@example.org>\r\n${headers}\r\n\r\n`), Buffer.from(body)]);

interface Case {
  name: string;
  file: string;
  body: () => Buffer | Promise<Buffer>;
  status: string;
  reason: RegExp;
}

/** Every bad-input case of issue #4, in one upload batch, with good files between them. */
const CASES: Case[] = [
  { name: 'valid e-invoice (before the bad ones)', file: 'rechnung.xml', body: ubl, status: 'routed', reason: /^$/ },
  { name: 'encrypted PDF', file: 'geheim.pdf', body: encryptedPdf, status: 'rejected', reason: /PDF ist verschlüsselt/ },
  { name: 'corrupt (truncated) PDF', file: 'halb.pdf', body: async () => (await textPdf('Hallo Welt')).subarray(0, 400), status: 'rejected', reason: /PDF-Struktur beschädigt/ },
  { name: 'zero-byte file', file: 'leer.pdf', body: () => Buffer.alloc(0), status: 'rejected', reason: /Die Datei ist leer \(0 Byte\)/ },
  { name: 'zip bomb', file: 'rechnungen.zip', body: zipBomb, status: 'rejected', reason: /Archive .* nicht entpackt/ },
  { name: 'huge image (70000 × 70000 px)', file: 'riesig.png', body: hugePng, status: 'rejected', reason: /70000 × 70000 Pixeln .* zu groß/ },
  { name: 'wrong MIME: executable named .pdf', file: 'rechnung2.pdf', body: () => Buffer.from('\x7fELF\x02\x01\x01\x00\x00\x00\x00', 'latin1'), status: 'rejected', reason: /Endung „\.pdf“ passt nicht/ },
  { name: 'wrong MIME: binary garbage named .txt', file: 'daten.txt', body: () => Buffer.from([0xff, 0xfe, 0, 1, 2, 0x80, 0x81, 0, 0, 0x9c, 0x11]), status: 'rejected', reason: /wird nicht unterstützt/ },
  {
    name: 'undecodable charset',
    file: 'zeichensalat.eml',
    body: () =>
      mail('k1', 'Subject: Anfrage\r\nContent-Type: text/plain; charset=x-klingon\r\nContent-Transfer-Encoding: 8bit', Buffer.concat([Buffer.from([0xff, 0xfe, 0x81, 0x8d, 0x90, 0x9d, 0xc3, 0x28, 0xa0, 0xa1, 0xe9, 0xfc]), Buffer.from(' Sperrm\xfcll ', 'latin1'), Buffer.from([0x8f, 0x90])])),
    status: 'review',
    reason: /Zeichensatz nicht lesbar: \d+ Zeichen/,
  },
  {
    name: 'invoice with wrong totals',
    file: 'falsche-summe.xml',
    // another invoice number, gross 10 EUR too high: net 314.86 + VAT 22.04 is not 346.90
    body: () =>
      Buffer.from(
        ubl()
          .toString('utf8')
          .replace('<cbc:ID>123456XX</cbc:ID>', '<cbc:ID>123457XX</cbc:ID>')
          .replace('<cbc:TaxInclusiveAmount currencyID="EUR">336.9<', '<cbc:TaxInclusiveAmount currencyID="EUR">346.9<')
          .replace('<cbc:PayableAmount currencyID="EUR">336.9<', '<cbc:PayableAmount currencyID="EUR">346.9<'),
      ),
    status: 'review',
    reason: /BR-CO-15/,
  },
  { name: 'duplicate: the same file again', file: 'rechnung-nochmal.xml', body: ubl, status: 'duplicate', reason: /Dieselbe Datei/ },
  {
    name: 'duplicate: same invoice number and seller, other file',
    file: 'rechnung-kopie.xml',
    body: () => Buffer.from(ubl().toString('utf8').replace('<cbc:Note>#ADU#', '<cbc:Note>#ADU# Kopie. ')),
    status: 'duplicate',
    reason: /Rechnung Nr\. 123456XX .* bereits als Dokument \d+/,
  },
  { name: 'a good mail after all the bad ones', file: 'frage.eml', body: () => mail('ok1', 'Subject: Personalausweis\r\nContent-Type: text/plain; charset=utf-8', 'Guten Tag, ich brauche einen neuen Personalausweis. Was muss ich mitbringen?'), status: 'routed', reason: /^$/ },
];

describe.skipIf(!existsSync(INVOICES))(`bad input: visible status and reason, original kept, nothing blocks the batch (${testDbKind()})`, () => {
  let ctx: AppContext;
  let app: AppRouter;
  let clerk: TestLogin;
  let dataDir: string;
  const bodies = new Map<string, Buffer>();
  let uploadHtml = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-bad-input-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    app = buildApp(ctx);
    clerk = await loginAs(app, ctx, ['clerk']);
    const form = new FormData();
    form.set('_csrf', clerk.csrf);
    for (const c of CASES) {
      const b = await c.body();
      bodies.set(c.file, b);
      form.append('files', new Blob([new Uint8Array(b)]), c.file);
    }
    const res = await app.request('/verwaltung/posteingang/hochladen', { method: 'POST', headers: { cookie: clerk.cookie }, body: form });
    expect(res.status).toBe(200);
    uploadHtml = await res.text();
  }, 120_000);
  afterAll(async () => {
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const docOf = async (file: string) =>
    (await execRows<{ id: string; status: string; reason: string | null; storage_path: string; duplicate_of: string | null }>(ctx.db, sql`SELECT id, status, reason, storage_path, duplicate_of FROM documents WHERE original_filename = ${file} ORDER BY id`))[0];

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // the upload answer lists the file with its status in words and its reason
    const item = uploadHtml.slice(uploadHtml.indexOf(c.file));
    expect(uploadHtml).toContain(c.file);
    expect(item.slice(0, 2000)).toContain(STATUS_LABELS[c.status]!);
    const row = await docOf(c.file);
    if (c.status === 'duplicate' && c.reason.source.includes('Dieselbe')) {
      // the same bytes again: no second record, the answer points at the first document
      expect(row).toBeUndefined();
      expect(item.slice(0, 2000)).toMatch(c.reason);
      return;
    }
    expect(row, `${c.file} has a document`).toBeDefined();
    expect(row!.status).toBe(c.status);
    expect(row!.reason ?? '').toMatch(c.reason);
    // the original is kept, byte for byte
    expect(readFileSync(join(dataDir, row!.storage_path)).equals(bodies.get(c.file)!)).toBe(true);
    // the document page shows status and reason
    const page = await (await app.request(`/verwaltung/posteingang/${row!.id}`, { headers: { cookie: clerk.cookie } })).text();
    expect(page).toContain(STATUS_LABELS[c.status]!);
    if (row!.reason) expect(page).toContain(row!.reason.slice(0, 30).replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
  });
});
