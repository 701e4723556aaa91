import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/helpers/context.ts';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { cliActor, type Actor } from '../../../core/auth/actor.ts';
import { ingestDocument } from './ingest-document.ts';
import { documentJobs } from './jobs.ts';
import { findDocument } from './repository.ts';

const DIR = resolve(import.meta.dirname, '../../../../../shared/data/invoices');
const haveSamples = existsSync(DIR);
const sample = (f: string) => readFileSync(join(DIR, f));

describe.skipIf(!haveSamples)('ingestDocument (stores, dedups, extracts, audits)', () => {
  let ctx: AppContext;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-ingest-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await ctx.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('routes a valid XRechnung to the finance department and keeps the original', async () => {
    const buf = sample('kosit-01.01a-ubl.xml');
    const r = await ingestDocument(ctx, cliActor, { buffer: buf, filename: 'kosit-01.01a-ubl.xml', source: 'upload' });
    expect(r).toMatchObject({ kind: 'xrechnung-ubl', status: 'routed', category: 'Rechnungseingang', department: 'finanzen', abstained: false, sameFile: false });
    expect(r.fields).toMatchObject({ invoiceNumber: '123456XX', totals: { gross: 336.9 } });
    const row = (await findDocument(ctx.db, r.documentId))!;
    expect(readFileSync(join(dataDir, row.storagePath)).equals(buf)).toBe(true);
    expect(row.modelVersion).toContain('lotse-invoice-rules-1');
    expect(row.retentionUntil).not.toBeNull();
    const audit = await execRows<{ action: string }>(ctx.db, sql`SELECT action FROM audit_log WHERE object_type = 'document' AND object_id = ${String(r.documentId)} ORDER BY seq`);
    expect(audit.map((a) => a.action)).toEqual(['document.receive', 'document.process']);
  });

  it('the same file again → duplicate, no second record', async () => {
    const r = await ingestDocument(ctx, cliActor, { buffer: sample('kosit-01.01a-ubl.xml'), filename: 'nochmal.xml', source: 'upload' });
    expect(r).toMatchObject({ status: 'duplicate', sameFile: true });
    expect(r.reason).toMatch(/Dieselbe Datei/);
    const [n] = await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM documents`);
    expect(n!.n).toBe(1);
  });

  it('same invoice number + seller in another file → duplicate with reason', async () => {
    const xml = sample('kosit-01.01a-ubl.xml').toString('utf8').replace('<cbc:Note>#ADU#', '<cbc:Note>#ADU# Kopie. ');
    const r = await ingestDocument(ctx, cliActor, { buffer: Buffer.from(xml), filename: 'kopie.xml', source: 'upload' });
    expect(r).toMatchObject({ status: 'duplicate', sameFile: false, abstained: true });
    expect(r.reason).toMatch(/Rechnung Nr\. 123456XX .* bereits als Dokument \d+/);
  });

  it('an invalid invoice goes to review naming the rule', async () => {
    const r = await ingestDocument(ctx, cliActor, { buffer: sample('zf-XRECHNUNG_Einfach.pdf'), filename: 'zf.pdf', source: 'folder' });
    expect(r).toMatchObject({ kind: 'zugferd', status: 'review', abstained: true, pages: 3 });
    expect(r.reason).toContain('LOTSE-LEITWEG-ID');
  });

  it('a broken file is rejected with a reason, original kept, batch goes on', async () => {
    const r = await ingestDocument(ctx, cliActor, { buffer: Buffer.from('%PDF-1.7\n1 0 obj'), filename: 'kaputt.pdf', source: 'upload' });
    expect(r).toMatchObject({ status: 'rejected' });
    expect(r.reason).toMatch(/beschädigt/);
    const row = (await findDocument(ctx.db, r.documentId))!;
    expect(existsSync(join(dataDir, row.storagePath))).toBe(true);
    const empty = await ingestDocument(ctx, cliActor, { buffer: Buffer.alloc(0), filename: 'leer.pdf', source: 'upload' });
    expect(empty).toMatchObject({ status: 'rejected', reason: 'Die Datei ist leer (0 Byte).' });
  });

  it('the same rejected file again → the rejection and its reason again (not "duplicate")', async () => {
    for (const [buffer, name] of [[Buffer.alloc(0), 'leer-nochmal.pdf'], [Buffer.from('%PDF-1.7\n1 0 obj'), 'kaputt-nochmal.pdf']] as const) {
      const first = await findDocument(ctx.db, (await ingestDocument(ctx, cliActor, { buffer, filename: name, source: 'upload' })).documentId);
      const again = await ingestDocument(ctx, cliActor, { buffer, filename: name, source: 'folder' });
      expect(again).toMatchObject({ status: 'rejected', reason: first!.reason, duplicateOf: null, sameFile: true, documentId: first!.id });
      expect(again.reason).not.toMatch(/Dieselbe Datei/);
    }
    const audit = await execRows<{ n: number }>(ctx.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'document.reject_again'`);
    // both files were stored by the test above: all four calls here are repeats
    expect(audit[0]!.n).toBe(4);
  });

  it('without a triage model, letters get the keyword rules of e-mails: clear ones routed, vague ones to review', async () => {
    const vague = await ingestDocument(ctx, cliActor, { buffer: Buffer.from('Sehr geehrte Damen und Herren, die Straßenlaterne vor Haus 5 ist seit Tagen defekt.'), filename: 'brief.txt', source: 'upload' });
    expect(vague).toMatchObject({ kind: 'unknown', status: 'review', category: null, abstained: true });
    expect(vague.reason).toMatch(/Noch kein trainiertes Modell für Briefe und Scans; die Stichwortliste ist unsicher/);
    const bau = await ingestDocument(ctx, cliActor, {
      buffer: Buffer.from('Sehr geehrte Damen und Herren,\nhiermit reiche ich den Bauantrag für einen Carport auf meinem Grundstück ein. Die Bauzeichnung liegt bei.\nMit freundlichen Grüßen'),
      filename: 'bauantrag.txt',
      source: 'upload',
    });
    expect(bau).toMatchObject({ status: 'routed', category: 'Bauen', department: 'bauen', abstained: false, reason: null });
    const row = (await findDocument(ctx.db, bau.documentId))!;
    expect(row.modelVersion).toMatch(/mail-rules-[\d-]+ \(keywords\)/);
    expect((row.fields as { triage: { decidedBy: string } }).triage.decidedBy).toBe('keywords');
  });

  it('a reply e-mail: the Aktenzeichen of subject and quote is in its identifiers', async () => {
    const eml = [
      'From: carla.probe@example.org',
      'To: bauamt@northeim.de',
      'Subject: AW: Ihr Schreiben vom 10.11.2026, Az. 63-0457/2026',
      'Message-ID: <reply-1@example.org>',
      'In-Reply-To: <brief-1@northeim.de>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Sehr geehrte Damen und Herren,',
      'anbei die fehlenden Unterlagen zum Carport.',
      '',
      '> Ihr Zeichen: 63-0457/2026',
    ].join('\r\n');
    const r = await ingestDocument(ctx, cliActor, { buffer: Buffer.from(eml), filename: 'antwort.eml', source: 'cli' });
    expect(r.kind).toBe('email');
    expect(r.fields).toMatchObject({ aktenzeichen: ['63-0457/2026'] });
  });

  it('e-mail charsets: an unknown label is read as Windows-1252; characters left unreadable are named in the reason', async () => {
    const latin = Buffer.from(
      'From: a@example.org\r\nTo: poststelle@northeim.de\r\nSubject: Sperrm\xfcll\r\nMessage-ID: <x2@example.org>\r\nContent-Type: text/plain; charset="unknown-8bit"\r\nContent-Transfer-Encoding: 8bit\r\n\r\nIch m\xf6chte meinen Sperrm\xfcll anmelden, K\xfchlschrank und Sofa. Gr\xfc\xdfe\r\n',
      'latin1',
    );
    const r = await ingestDocument(ctx, cliActor, { buffer: latin, filename: 'unknown8bit.eml', source: 'cli' });
    expect(r).toMatchObject({ status: 'routed', category: 'Ordnungsamt', reason: null });
    const row = (await findDocument(ctx.db, r.documentId))!;
    expect((row.fields as { subject: string }).subject).toBe('Sperrmüll');
    expect((row.fields as { mail: { charsetRepaired?: boolean; unreadableChars?: number } }).mail).toMatchObject({ charsetRepaired: true });
    expect((row.fields as { mail: { unreadableChars?: number } }).mail.unreadableChars).toBeUndefined();
    // Two characters that no charset turns back into letters (valid UTF-8 carrying U+FFFD): routed, but said.
    const few = Buffer.from(
      'From: b@example.org\r\nSubject: Hundesteuer\r\nMessage-ID: <x3@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nIch möchte meinen Hund zur Hundesteuer anmelden. Mit freundlichen Gr\uFFFD\uFFFDen aus der Stra\u00dfe, die Steuer bitte per Lastschrift.\r\n',
      'utf8',
    );
    const f = await ingestDocument(ctx, cliActor, { buffer: few, filename: 'wenige.eml', source: 'cli' });
    expect(f).toMatchObject({ status: 'routed', category: 'Steuern/Kasse' });
    expect(f.reason).toMatch(/^Zeichensatz: 2 Zeichen der Nachricht nicht lesbar/);
  });

  it('scans are queued as documents.ocr jobs in intake mode; the job finishes them', async () => {
    const r = await ingestDocument(ctx, cliActor, { buffer: sample('scan-EN16931_Einfach.pdf'), filename: 'scan.pdf', source: 'folder' }, { ocr: 'job' });
    expect(r).toMatchObject({ status: 'processing', kind: 'scan' });
    const jobs = await execRows<{ queue: string; payload: { documentId: number } }>(ctx.db, sql`SELECT queue, payload FROM jobs WHERE queue = 'documents.ocr'`);
    expect(jobs).toEqual([{ queue: 'documents.ocr', payload: { documentId: r.documentId } }]);
    await documentJobs['documents.ocr']!(ctx, { documentId: r.documentId });
    const row = (await findDocument(ctx.db, r.documentId))!;
    expect(row).toMatchObject({ ocr: true, category: 'Rechnungseingang' });
    // same number + seller as the ZUGFeRD PDF ingested above
    expect(row.status).toBe('duplicate');
    expect((row.fields as { invoice: { invoiceNumber: string } }).invoice.invoiceNumber).toBe('471102');
  }, 60_000);

  it('an e-mail with an XRechnung attachment: the attachment becomes its own routed document', async () => {
    const xml = sample('kosit-01.02a-cii.xml').toString('base64').replace(/.{76}/g, '$&\r\n');
    const eml = [
      'From: Lieferant <rechnung@lieferant.example>',
      'To: rechnung@northeim.example',
      'Subject: Rechnung 123456',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="XYZ"',
      '',
      '--XYZ',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Anbei unsere Rechnung als XRechnung.',
      '--XYZ',
      'Content-Type: application/xml; name="rechnung.xml"',
      'Content-Disposition: attachment; filename="rechnung.xml"',
      'Content-Transfer-Encoding: base64',
      '',
      xml,
      '--XYZ--',
      '',
    ].join('\r\n');
    const r = await ingestDocument(ctx, cliActor, { buffer: Buffer.from(eml), filename: 'mail.eml', source: 'imap' });
    expect(r.kind).toBe('email');
    const att = (r.fields as { attachments: { filename: string; documentId: number; status: string; kind: string }[] }).attachments;
    expect(att).toEqual([{ filename: 'rechnung.xml', documentId: expect.any(Number), status: 'routed', kind: 'xrechnung-cii' }]);
    const child = (await findDocument(ctx.db, att[0]!.documentId))!;
    expect(child).toMatchObject({ source: 'email-attachment', category: 'Rechnungseingang' });
  });

  it('a missing OCR/PDF tool leaves the document in review with a reason (the batch goes on)', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const r = await ingestDocument(ctx, cliActor, { buffer: sample('scan-XRECHNUNG_Einfach.pdf'), filename: 'scan2.pdf', source: 'folder' });
      expect(r).toMatchObject({ status: 'review' });
      expect(r.reason).toMatch(/nicht verfügbar \((pdftotext|tesseract|pdftoppm) fehlt\)/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('needs the mailroom.process permission', async () => {
    const council: Actor = { type: 'user', id: 'u1', roles: ['council'], department: null };
    await expect(ingestDocument(ctx, council, { buffer: Buffer.from('x'), filename: 'x.txt', source: 'upload' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
