import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../boot.ts';
import type { AppContext } from '../../../core/context.ts';
import type { AppRouter } from '../../../core/http/app.ts';
import { cliActor } from '../../../core/auth/actor.ts';
import { createTestContext, testDbKind } from '../../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../../test/helpers/auth.ts';
import { ingestDocument } from './ingest-document.ts';

const DIR = resolve(import.meta.dirname, '../../../../../shared/data/invoices');

describe.skipIf(!existsSync(DIR))(`inbox pages (${testDbKind()})`, () => {
  let ctx: AppContext;
  let app: AppRouter;
  let clerk: TestLogin;
  let council: TestLogin;
  let dataDir: string;
  let invoiceId: number;
  let rejectedId: number;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lotse-inbox-'));
    ctx = await createTestContext({ LOTSE_DATA_DIR: dataDir });
    app = buildApp(ctx);
    clerk = await loginAs(app, ctx, ['clerk']);
    council = await loginAs(app, ctx, ['council']);
    invoiceId = (await ingestDocument(ctx, cliActor, { buffer: readFileSync(join(DIR, 'zf-XRECHNUNG_Einfach.pdf')), filename: 'rechnung.pdf', source: 'upload' })).documentId;
    rejectedId = (await ingestDocument(ctx, cliActor, { buffer: Buffer.from('<html><script>alert(1)</script></html>'), filename: 'x.pdf', source: 'upload' })).documentId;
  });
  afterAll(async () => {
    await ctx?.database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const get = (path: string, who?: TestLogin) => app.request(path, { headers: who ? { cookie: who.cookie } : {} });

  it('needs mailroom.process', async () => {
    expect((await get('/verwaltung/posteingang')).status).toBe(303);
    expect((await get('/verwaltung/posteingang', council)).status).toBe(403);
  });

  it('lists documents with status in words and the reason', async () => {
    const html = await (await get('/verwaltung/posteingang', clerk)).text();
    expect(html).toContain('<h1 class="kern-heading-large">Posteingang</h1>');
    expect(html).toContain('Zur Prüfung');
    expect(html).toContain('LOTSE-LEITWEG-ID');
    expect(html).toContain('Abgelehnt');
    const filtered = await (await get('/verwaltung/posteingang?status=rejected', clerk)).text();
    expect(filtered).not.toContain('rechnung.pdf');
  });

  it('shows the German invoice view with Leitweg-ID check, lines and totals', async () => {
    const html = await (await get(`/verwaltung/posteingang/${invoiceId}`, clerk)).text();
    expect(html).toContain('Rechnung 471102 vom 05.03.2018');
    expect(html).toContain('04011000-12345-34 – Prüfziffer falsch (erwartet 03)');
    expect(html).toContain('Trennblätter A4');
    expect(html).toMatch(/529,87\s*€/);
    expect(html).toContain('Prüfung nicht bestanden: 1 Regel verletzt.');
    expect(html).toContain('<th scope="col" class="kern-table__header">Bezeichnung</th>');
  });

  it('serves the original only as a download with nosniff', async () => {
    const res = await get(`/verwaltung/posteingang/${rejectedId}/original`, clerk);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<script>');
    expect((await get('/verwaltung/posteingang/999999', clerk)).status).toBe(404);
  });

  it('API: extract an invoice, read documents, problem+json on errors, listed in OpenAPI', async () => {
    const xml = readFileSync(join(DIR, 'kosit-01.02a-cii.xml'));
    const post = (body: Uint8Array | string, who?: TestLogin, type = 'application/xml') =>
      app.request('/api/v1/invoices/extract?filename=r.xml', { method: 'POST', headers: { 'content-type': type, ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}) }, body: body as never });
    expect((await post(new Uint8Array(xml))).status).toBe(401);
    expect((await post(new Uint8Array(xml), council)).status).toBe(403);
    const ok = await post(new Uint8Array(xml), clerk);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(JSON.parse(readFileSync(join(DIR, 'kosit-01.02a-cii.xml.expected.json'), 'utf8')));
    const bad = await post('kein XML', clerk, 'application/octet-stream');
    expect(bad.status).toBe(415);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');

    const doc = await get(`/api/v1/documents/${invoiceId}`, clerk);
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ documentId: invoiceId, kind: 'zugferd', status: 'review', fields: { invoiceNumber: '471102' } });
    expect((await get('/api/v1/documents/999999', clerk)).status).toBe(404);
    const list = await (await get('/api/v1/documents?status=rejected', clerk)).json();
    expect(list.documents.map((d: { documentId: number }) => d.documentId)).toEqual([rejectedId]);
    const spec = await (await get('/api/v1/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/invoices/extract', '/documents/{id}', '/documents']));
  });
});
