import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../../test/helpers/context.ts';
import { cliActor } from '../../../core/auth/actor.ts';
import type { AppContext } from '../../../core/context.ts';
import { execRows } from '../../../core/db/index.ts';
import { ingestDocument } from '../documents/ingest-document.ts';
import { syntheticRows } from '../triage/fixtures.ts';
import { trainModel } from '../triage/train-model.ts';
import { documentTop3, listReviewQueue, resolveReview } from './review-queue.ts';
import { findDocument } from '../documents/repository.ts';

const eml = (id: string, subject: string, body: string) =>
  Buffer.from(`From: Erika Muster <erika@example.org>\r\nTo: poststelle@northeim.example\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);

async function letterPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 11, font, lineHeight: 14 });
  return Buffer.from(await doc.save());
}

describe('separate mail model: e-mail corrections train `mail`, mails are classified by `mail`, else `default`', () => {
  let ctx: AppContext;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-review-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await ctx.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a corrected e-mail becomes an example of `mail`, a corrected letter one of `default`', async () => {
    const mail = await ingestDocument(ctx, cliActor, { buffer: eml('r1', 'Hinweis', 'An der Ecke Mühlenstraße steht seit Tagen etwas herum, bitte kümmern Sie sich.'), filename: 'hinweis.eml', source: 'upload' });
    const letter = await ingestDocument(ctx, cliActor, { buffer: await letterPdf('Sehr geehrte Damen und Herren,\nan der Ecke steht seit Tagen ein altes Sofa.'), filename: 'brief.pdf', source: 'upload' });
    expect(mail.status).toBe('review');
    expect(letter.status).toBe('review');
    const queue = await listReviewQueue(ctx, cliActor);
    expect(queue.rows.map((r) => r.id).sort()).toEqual([mail.documentId, letter.documentId].sort());
    expect(queue.mailModel).toBeNull();

    expect(await resolveReview(ctx, cliActor, { documentId: mail.documentId, category: 'Ordnungsamt', department: 'ordnung' })).toMatchObject({ trainingExample: true, trainingModel: 'mail' });
    expect(await resolveReview(ctx, cliActor, { documentId: letter.documentId, category: 'abfall', department: 'ordnung' })).toMatchObject({ trainingExample: true, trainingModel: 'default' });
    const examples = await execRows<{ model_name: string; category: string }>(ctx.db, sql`SELECT model_name, category FROM triage_examples ORDER BY id`);
    expect(examples).toEqual([
      { model_name: 'mail', category: 'Ordnungsamt' },
      { model_name: 'default', category: 'abfall' },
    ]);
  });

  it('no model yet: an unsure letter shows the stored keyword ranking in the queue and on its page', async () => {
    const letter = await ingestDocument(ctx, cliActor, { buffer: await letterPdf('Sehr geehrte Damen und Herren,\nbetrifft meine Anmeldung. Bitte rufen Sie mich an.'), filename: 'anmeldung.pdf', source: 'upload' });
    expect(letter).toMatchObject({ status: 'review', category: null });
    expect(letter.reason).toMatch(/Stichwortliste ist unsicher \(Konfidenz 0\.33, am ehesten Bürgerbüro\)/);
    const queue = await listReviewQueue(ctx, cliActor);
    expect(queue.top3[letter.documentId]).toEqual([{ category: 'Bürgerbüro', score: expect.closeTo(0.333, 2) }]);
    const top = await documentTop3(ctx, (await findDocument(ctx.db, letter.documentId))!);
    expect(top).toMatchObject({ source: 'Stichwortliste (noch kein trainiertes Modell)', top: [{ category: 'Bürgerbüro' }] });
    await resolveReview(ctx, cliActor, { documentId: letter.documentId, category: 'Bürgerbüro', department: 'buergerdienste' });
  });

  it('an e-mail is classified by `default` while no mail model is active, then by `mail`', async () => {
    await trainModel(ctx, cliActor, { name: 'default', rows: syntheticRows(150) });
    const a = await ingestDocument(ctx, cliActor, { buffer: eml('r2', 'Sperrmüll', 'Sperrmüll an der Ecke, seit 3 Tagen'), filename: 'a.eml', source: 'upload' });
    const [rowA] = await execRows<{ model_version: string; category: string | null }>(ctx.db, sql`SELECT model_version, category FROM documents WHERE id = ${a.documentId}`);
    expect(rowA!.model_version).toBe('triage:default@1');

    const mailRows = Array.from({ length: 90 }, (_, i) => {
      const c = ['Bürgerbüro', 'Ordnungsamt', 'Bauen'][i % 3]!;
      const text = { Bürgerbüro: 'Ich brauche einen neuen Reisepass', Ordnungsamt: 'Sperrmüll liegt an der Ecke', Bauen: 'Bauantrag für eine Garage' }[c]!;
      return { id: String(i), subject: null, text: `${text} (${i % 4})`, category: c };
    });
    await trainModel(ctx, cliActor, { name: 'mail', rows: mailRows });
    const b = await ingestDocument(ctx, cliActor, { buffer: eml('r3', 'Frage', 'Wie lange dauert mein Bauantrag für die Garage?'), filename: 'b.eml', source: 'upload' });
    const [rowB] = await execRows<{ model_version: string; category: string | null }>(ctx.db, sql`SELECT model_version, category FROM documents WHERE id = ${b.documentId}`);
    expect(rowB!.model_version).toBe('triage:mail@1');
    expect(rowB!.category === 'Bauen' || b.status === 'review').toBe(true);
    expect((await listReviewQueue(ctx, cliActor)).mailModel).toMatchObject({ name: 'mail', active: true });
  });
});
