import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../boot.ts';
import type { AppContext } from '../../../core/context.ts';
import { cliActor } from '../../../core/auth/actor.ts';
import { createTestContext, testDbKind } from '../../../../test/helpers/context.ts';
import { loginAs } from '../../../../test/helpers/auth.ts';
import { triageMail } from '../mail/index.ts';
import { ingestDocument } from './ingest-document.ts';
import { findDocument } from './repository.ts';

const MAIL_DIR = resolve(import.meta.dirname, '../../../../../shared/data/mail');
const files = existsSync(MAIL_DIR) ? readdirSync(MAIL_DIR).filter((f) => /^\d\d\.eml$/.test(f)).sort() : [];

describe.skipIf(!files.length)(`intake of e-mails uses the mail triage (${testDbKind()})`, () => {
  let ctx: AppContext;
  let dataDir: string;
  let letterId: number;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-ingest-mail-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    // An earlier letter of the town carrying the Aktenzeichen that mail 07 answers.
    letterId = (
      await ingestDocument(ctx, cliActor, {
        buffer: Buffer.from('Anhörung wegen Ruhestörung\nAz. 32-123/2026\nSehr geehrte Damen und Herren, bitte äußern Sie sich bis zum 30.11.2026.\n'),
        filename: 'anhoerung.txt',
        source: 'upload',
      })
    ).documentId;
  });
  afterAll(async () => {
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the 12 shared mails the category and department of `lotse mail triage`', async () => {
    expect(files).toHaveLength(12);
    for (const f of files) {
      const raw = readFileSync(join(MAIL_DIR, f));
      const expected = JSON.parse(readFileSync(join(MAIL_DIR, f.replace('.eml', '.expected.json')), 'utf8')) as { category: string | null; isAutoReply: boolean | null; isBounce: boolean };
      const cli = await triageMail(ctx, raw, { modelName: 'mail' });
      const r = await ingestDocument(ctx, cliActor, { buffer: raw, filename: f, source: 'imap' });
      expect({ f, kind: r.kind, category: r.category }).toEqual({ f, kind: 'email', category: expected.category });
      expect({ f, department: r.department }).toEqual({ f, department: cli.department });
      const row = (await findDocument(ctx.db, r.documentId))!;
      if (expected.isBounce || expected.isAutoReply) {
        expect({ f, status: r.status }).toEqual({ f, status: 'automatic' });
        expect(r.reason).toMatch(expected.isBounce ? /Unzustellbar/ : /Automatische Antwort/);
      } else {
        expect({ f, status: r.status }).toEqual({ f, status: 'routed' });
      }
      expect(row.modelVersion).toContain('mail-rules-');
      expect((row.fields as { mail: { top: unknown[] } }).mail.top.length).toBeLessThanOrEqual(3);
    }
  });

  it('links a reply with a known Aktenzeichen to the earlier document and shows it', async () => {
    const raw = readFileSync(join(MAIL_DIR, '07.eml'));
    const r = await ingestDocument(ctx, cliActor, { buffer: raw, filename: '07.eml', source: 'imap' });
    const row = (await findDocument(ctx.db, r.documentId))!;
    expect((row.fields as { relatedDocuments: unknown }).relatedDocuments).toEqual([{ documentId: letterId, via: 'aktenzeichen', aktenzeichen: '32-123/2026' }]);
    // The letter itself is not linked to anything; mail 03 (other Aktenzeichen) neither.
    expect((await findDocument(ctx.db, letterId))!.fields).not.toHaveProperty('relatedDocuments');
    const app = buildApp(ctx);
    const clerk = await loginAs(app, ctx, ['clerk']);
    const html = await (await app.request(`/verwaltung/posteingang/${r.documentId}`, { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('Antwort zu Vorgang 32-123/2026');
    expect(html).toContain(`href="/verwaltung/posteingang/${letterId}"`);
    // detail page: reply button, top-3 with scores, version
    expect(html).toContain(`href="/verwaltung/posteingang/${r.documentId}/antwort"`);
    expect(html).toContain('Antwort entwerfen');
    expect(html).toMatch(/<li>Ordnungsamt: \d+ %<\/li>/);
    expect(html).toContain('mail-rules-');
    // no reply on an auto-reply
    const auto = (await findDocument(ctx.db, (await ingestDocument(ctx, cliActor, { buffer: readFileSync(join(MAIL_DIR, '09.eml')), filename: '09.eml', source: 'imap' })).documentId))!;
    const autoHtml = await (await app.request(`/verwaltung/posteingang/${auto.id}`, { headers: { cookie: clerk.cookie } })).text();
    expect(autoHtml).toContain('Automatische Nachricht');
    expect(autoHtml).not.toContain('Antwort entwerfen');
    // list page links to upload and review queue
    const list = await (await app.request('/verwaltung/posteingang', { headers: { cookie: clerk.cookie } })).text();
    expect(list).toContain('href="/verwaltung/posteingang/hochladen"');
    expect(list).toContain('href="/verwaltung/posteingang/pruefen"');
  });
});
