import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../boot.ts';
import { cliActor } from '../../core/auth/index.ts';
import type { AppContext } from '../../core/context.ts';
import type { AppRouter } from '../../core/http/app.ts';
import { createTestContext, testDbKind } from '../../../test/helpers/context.ts';
import { loginAs, type TestLogin } from '../../../test/helpers/auth.ts';
import { startEmbedStub, type EmbedStub } from '../../../test/embeddings-stub/server.ts';
import { resetEmbeddingState } from '../catalog/embeddings.ts';
import { embedCatalog, importCatalog, searchServices } from '../catalog/index.ts';
import { getEmbeddingsOverview } from './review-questions.ts';

const svc = (id: string, title: string, description: string) => ({ id, title, description: `<p>${description}</p>`, keywords: [] });
const CATALOG = {
  format: 'lotse-catalog',
  version: 1,
  services: [
    svc('z-hund', 'Hund anmelden', 'Wer einen Hund hält, muss den Hund anmelden und Hundesteuer zahlen.'),
    svc('d-ausweis', 'Personalausweis beantragen', 'Den Personalausweis beantragen Sie persönlich im Bürgerbüro.'),
    svc('e-muell', 'Müllabfuhr und Abfallkalender', 'Der Abfallkalender nennt die Termine der Müllabfuhr.'),
  ],
};

describe(`assistant review page: embeddings status (${testDbKind()})`, () => {
  let stub: EmbedStub;
  let ctx: AppContext;
  let plain: AppContext;
  let app: AppRouter;
  let clerk: TestLogin;
  let dir: string;

  beforeAll(async () => {
    stub = await startEmbedStub('ok');
    ctx = await createTestContext({ LOTSE_EMBEDDINGS_BASE_URL: stub.baseUrl, LOTSE_EMBEDDINGS_MODEL: 'stub-bow-1', LOTSE_EMBEDDINGS_TIMEOUT_MS: '500' });
    plain = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_BASE_URL: undefined } };
    dir = mkdtempSync(join(tmpdir(), 'lotse-review-emb-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
    await importCatalog(ctx, cliActor, join(dir, 'catalog.json'), { replace: true });
    app = buildApp(ctx);
    clerk = await loginAs(app, ctx, ['clerk']);
  }, 60_000);
  afterAll(async () => {
    await stub?.close();
    await ctx?.database.close();
    rmSync(dir, { recursive: true, force: true });
    resetEmbeddingState();
  });
  beforeEach(() => {
    stub.mode = 'ok';
    resetEmbeddingState();
  });

  it('not configured: the page says so and search stays BM25', async () => {
    const o = await getEmbeddingsOverview(plain);
    expect(o).toMatchObject({ configured: false, published: 3, embedded: 0, queries: 0, fallbacks: [] });
    const html = await (await buildApp(plain).request('/verwaltung/assistent', { headers: { cookie: clerk.cookie } })).text();
    expect(html).toContain('Bedeutungssuche (Embeddings)');
    expect(html).toContain('Nicht eingerichtet');
  });

  it('counts vectors, missing/stale services and query fallbacks by reason – never the query texts', async () => {
    // Before the job ran: no vectors, every published service is missing one and the catalog counts as changed.
    expect(await getEmbeddingsOverview(ctx)).toMatchObject({ configured: true, model: 'stub-bow-1', published: 3, embedded: 0, missing: 3, catalogChanged: true });
    await searchServices(ctx, 'Hund anmelden', { limit: 3 });
    expect((await getEmbeddingsOverview(ctx)).fallbacks).toEqual([{ reason: 'no_vectors', label: 'Noch keine Leistungsvektoren berechnet', count: 1 }]);

    await embedCatalog(ctx);
    resetEmbeddingState(); // also forgets the cached (empty) vector set
    await searchServices(ctx, 'Hund anmelden', { limit: 3 });
    stub.mode = 'http_error';
    await searchServices(ctx, 'Personalausweis geheimwort', { limit: 3 });
    await searchServices(ctx, 'Müllabfuhr Termine', { limit: 3 });
    const o = await getEmbeddingsOverview(ctx);
    expect(o).toMatchObject({ embedded: 3, missing: 0, catalogChanged: false, queries: 3, used: 1 });
    expect(o.fallbacks).toEqual([{ reason: 'http_error', label: 'HTTP-Fehler des Endpunkts', count: 2 }]);
    expect(o.lastFallbackAt).toBeInstanceOf(Date);

    const res = await app.request('/verwaltung/assistent', { headers: { cookie: clerk.cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('data-embeddings="on"');
    expect(html).toContain('<code>stub-bow-1</code>');
    expect(html).toContain('3 von 3 veröffentlichten Leistungen');
    expect(html).toMatch(/3, davon 1 mit Bedeutungssuche/);
    expect(html).toContain('HTTP-Fehler des Endpunkts');
    expect(html).toMatch(/<th[^>]*scope="col"[^>]*>Grund<\/th>/);
    expect(html).not.toContain('geheimwort');
  });

  it('needs assistant.review', async () => {
    const council = await loginAs(app, ctx, ['council']);
    expect((await app.request('/verwaltung/assistent', { headers: { cookie: council.cookie } })).status).toBe(403);
  });
});
