import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliActor, type Actor } from '../../core/auth/actor.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows } from '../../core/db/index.ts';
import { createTestContext } from '../../../test/helpers/context.ts';
import { startEmbedStub, stubVector, type EmbedStub } from '../../../test/embeddings-stub/server.ts';
import { cachedVectors, decodeVector, dot, embeddingQueryStats, HYBRID, resetEmbeddingState, serviceEmbeddingText, unitVector, VECTOR_CACHE } from './embeddings.ts';
import { EMBED_QUEUE, embedCatalog, getEmbeddingStatus, getServiceForEditing, importCatalog, module as catalogModule, publishService, saveServiceDraft, searchServices } from './index.ts';
import { loadIndexRows } from './repository.ts';
import { catalogServiceEmbeddings } from './schema.ts';

const lead: Actor = { type: 'user', id: 'u-lead', roles: ['department_lead'], department: null };

const svc = (id: string, title: string, description: string, keywords: string[] = []) => ({ id, title, description: `<p>${description}</p>`, keywords });
const CATALOG = {
  format: 'lotse-catalog',
  version: 1,
  services: [
    svc('a-gewerbe', 'Gewerbe anmelden', 'Wer ein Gewerbe beginnt, muss es anmelden. Das Gewerbeamt prüft die Anzeige.'),
    svc('b-wohnsitz', 'Wohnsitz anmelden', 'Nach dem Umzug melden Sie Ihre neue Wohnung innerhalb von zwei Wochen an.'),
    svc('c-fahrzeug', 'Fahrzeug anmelden', 'Ein Auto, Motorrad oder Anhänger wird bei der Zulassungsstelle angemeldet.'),
    svc('z-hund', 'Hund anmelden', 'Wer einen Hund hält, muss den Hund anmelden. Für den Hund wird Hundesteuer fällig; Halter erhalten eine Hundemarke für den Hund.', ['Hundesteuer', 'Hundemarke']),
    svc('d-ausweis', 'Personalausweis beantragen', 'Den Personalausweis beantragen Sie persönlich im Bürgerbüro mit biometrischem Foto.'),
    svc('e-muell', 'Müllabfuhr und Abfallkalender', 'Der Abfallkalender nennt die Termine der Müllabfuhr für Restmüll, Biotonne und Papier.'),
    svc('f-bauen', 'Baugenehmigung beantragen', 'Für einen Neubau oder Umbau brauchen Sie meist eine Baugenehmigung des Landkreises.'),
    svc('g-fund', 'Fundsachen', 'Verlorene und gefundene Gegenstände gibt das Fundbüro gegen Nachweis heraus.'),
    svc('h-ehe', 'Eheschließung anmelden', 'Die Eheschließung melden Sie beim Standesamt an; beide Partner bringen Urkunden mit.'),
  ],
};

describe('hybrid search with a local OpenAI-compatible embeddings endpoint', () => {
  let base: AppContext;
  let ctx: AppContext;
  let plain: AppContext;
  let stub: EmbedStub;
  const logLines: string[] = [];

  const ids = async (c: AppContext, q: string, limit = 5) => (await searchServices(c, q, { limit })).map((h) => h.service.id);

  beforeAll(async () => {
    stub = await startEmbedStub('ok', { slowMs: 3000 });
    base = await createTestContext({ LOTSE_EMBEDDINGS_BASE_URL: stub.baseUrl, LOTSE_EMBEDDINGS_MODEL: 'stub-bow-1', LOTSE_EMBEDDINGS_TIMEOUT_MS: '300' });
    const log = pino({ level: 'info' }, { write: (s: string) => void logLines.push(s) });
    ctx = { ...base, log };
    plain = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_BASE_URL: undefined } };
    const dir = mkdtempSync(join(tmpdir(), 'lotse-embed-'));
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
    await importCatalog(ctx, cliActor, join(dir, 'catalog.json'), { replace: true });
  });
  afterAll(async () => {
    await stub.close();
    await base.database.close();
  });
  beforeEach(() => {
    stub.mode = 'ok';
    resetEmbeddingState();
  });

  it('is registered as a recurring job of the catalog module', () => {
    expect(catalogModule.jobs?.[EMBED_QUEUE]).toBeTypeOf('function');
    expect(catalogModule.recurring).toContainEqual({ queue: EMBED_QUEUE, everySeconds: 60 });
  });

  it('without an endpoint nothing is embedded and search is BM25 alone', async () => {
    expect(await embedCatalog(plain)).toMatchObject({ skipped: 'not_configured', embedded: 0 });
    expect(stub.requests).toHaveLength(0);
    expect(await getEmbeddingStatus(plain)).toMatchObject({ configured: false, published: 9, embedded: 0 });
  });

  it('configured but no service vectors yet → BM25, and the query is not sent anywhere', async () => {
    expect(await ids(ctx, 'Bellomat anmelden')).toEqual(await ids(plain, 'Bellomat anmelden'));
    expect(stub.requests).toHaveLength(0);
    expect(embeddingQueryStats().fallbacks['no_vectors']).toBe(1);
  });

  it('(c) the job embeds every published service once, in batches, and stores float32 vectors with the model', async () => {
    const r = await embedCatalog(ctx, { batchSize: 4 });
    expect(r).toEqual({ model: 'stub-bow-1', embedded: 9, unchanged: 0, removed: 0 });
    expect(stub.requests.map((q) => q.input.length)).toEqual([4, 4, 1]);
    expect(stub.requests.every((q) => q.model === 'stub-bow-1')).toBe(true);
    const [row] = await ctx.db.select().from(catalogServiceEmbeddings).where(eq(catalogServiceEmbeddings.serviceId, 'z-hund'));
    const doc = (await loadIndexRows(ctx.db)).find((d) => d.id === 'z-hund')!;
    expect(row).toMatchObject({ model: 'stub-bow-1', dims: 64 });
    expect(Array.from(decodeVector(row!.vector))).toEqual(stubVector(serviceEmbeddingText(doc)));
    expect(await getEmbeddingStatus(ctx)).toMatchObject({ configured: true, model: 'stub-bow-1', published: 9, embedded: 9 });
  });

  it('(c) unchanged catalog → no request; one published edit → only that service; a model change → all again', async () => {
    stub.requests.length = 0;
    expect(await embedCatalog(ctx)).toMatchObject({ skipped: 'up_to_date' });
    expect(await embedCatalog(ctx, { force: true })).toEqual({ model: 'stub-bow-1', embedded: 0, unchanged: 9, removed: 0 });
    expect(stub.requests).toHaveLength(0);

    const before = await getServiceForEditing(ctx, lead, 'g-fund');
    await saveServiceDraft(ctx, lead, 'g-fund', { ...before.published, descriptionHtml: '<p>Das Fundbüro im Rathaus verwahrt Fundsachen sechs Monate.</p>' });
    expect(await embedCatalog(ctx)).toMatchObject({ embedded: 0 }); // a draft is not public yet
    await publishService(ctx, lead, 'g-fund');
    expect(await embedCatalog(ctx)).toEqual({ model: 'stub-bow-1', embedded: 1, unchanged: 8, removed: 0 });
    expect(stub.requests.flatMap((q) => q.input)).toEqual([expect.stringContaining('Fundbüro im Rathaus')]);

    stub.requests.length = 0;
    const other = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_MODEL: 'stub-bow-2' } };
    expect(await embedCatalog(other)).toMatchObject({ model: 'stub-bow-2', embedded: 9, unchanged: 0 });
    expect(await embedCatalog(ctx)).toMatchObject({ model: 'stub-bow-1', embedded: 9 });
  });

  it('(c) a failing endpoint fails the job (retried by its next run) and keeps finished batches', async () => {
    const other = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_MODEL: 'stub-bow-3' } };
    stub.mode = 'http_error';
    await expect(embedCatalog(other)).rejects.toThrow(/HTTP 500/);
    stub.mode = 'ok';
    expect(await embedCatalog(other)).toMatchObject({ embedded: 9 });
    // Back to the model the other tests use.
    expect(await embedCatalog(ctx)).toMatchObject({ embedded: 9 });
  });

  it('(a) hybrid lifts the service the vectors understand (made-up Bellomat ≈ Hund) above the BM25 winner', async () => {
    const bm25 = await ids(plain, 'Bellomat anmelden');
    const hybrid = await ids(ctx, 'Bellomat anmelden');
    expect(bm25[0]).not.toBe('z-hund');
    expect(hybrid[0]).toBe('z-hund');
    expect(new Set(hybrid.slice(0, 4))).toEqual(new Set(bm25.slice(0, 4)));
    const hits = await searchServices(ctx, 'Bellomat anmelden', { limit: 5 });
    const plainHits = await searchServices(plain, 'Bellomat anmelden', { limit: 5 });
    // The order changes, not how sure the search is.
    expect(hits[0]!.confidence).toBe(plainHits[0]!.confidence);
    expect(embeddingQueryStats()).toMatchObject({ queries: 2, used: 2, cached: 1 });
  });

  it('(a) a clear lexical answer stays first; queries BM25 cannot match stay empty', async () => {
    expect((await ids(ctx, 'Personalausweis beantragen'))[0]).toBe('d-ausweis');
    expect((await ids(ctx, 'Müllabfuhr Termine'))[0]).toBe('e-muell');
    expect(await ids(ctx, 'xyzzy qwertz')).toEqual([]);
  });

  it.each(['slow', 'garbage', 'wrong_shape', 'http_error'] as const)('(b) endpoint %s → the BM25 result within the budget, logged without the query', async (mode) => {
    stub.mode = mode;
    logLines.length = 0;
    const t0 = performance.now();
    const got = await ids(ctx, 'Bellomat anmelden');
    const ms = performance.now() - t0;
    expect(got).toEqual(await ids(plain, 'Bellomat anmelden'));
    expect(ms).toBeLessThan(1500);
    const reason = mode === 'slow' ? 'timeout' : mode === 'wrong_shape' ? 'garbage' : mode;
    expect(embeddingQueryStats().fallbacks[reason]).toBe(1);
    expect(logLines.join('\n')).toMatch(/BM25 only/);
    expect(logLines.join('\n')).not.toMatch(/Bellomat/i);
  });

  it('(b) endpoint down → BM25 result at once; after repeated failures the endpoint is skipped for a while', async () => {
    stub.requests.length = 0;
    const down = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:9/v1' } };
    const expected = await ids(plain, 'Bellomat anmelden');
    for (const q of ['Bellomat anmelden', 'Bellomat anmelden bitte', 'Bellomat anmelden jetzt', 'Bellomat anmelden heute']) {
      const t0 = performance.now();
      expect((await ids(down, q))[0]).toBe(expected[0]);
      expect(performance.now() - t0).toBeLessThan(1500);
    }
    const s = embeddingQueryStats();
    expect(s.fallbacks['down']).toBe(3);
    expect(s.skipped).toBe(1);
    expect(stub.requests).toHaveLength(0);
  });

  it('(b) vectors of another length than the query (model swapped under the same name) → BM25', async () => {
    const other = await startEmbedStub('ok', { dims: 32 });
    try {
      const swapped = { ...ctx, config: { ...ctx.config, LOTSE_EMBEDDINGS_BASE_URL: other.baseUrl } };
      expect(await ids(swapped, 'Bellomat anmelden')).toEqual(await ids(plain, 'Bellomat anmelden'));
      expect(embeddingQueryStats().fallbacks['dims']).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('(c) a search that sees vectors older than the catalog asks the worker to run the job now', async () => {
    const queued = () => execRows<{ status: string }>(ctx.db, sql`SELECT status FROM jobs WHERE queue = ${EMBED_QUEUE} AND status = 'queued'`);
    await ctx.db.execute(sql`DELETE FROM jobs WHERE queue = ${EMBED_QUEUE}`);
    await ids(ctx, 'Bellomat anmelden');
    expect(await queued()).toHaveLength(0);
    const before = await getServiceForEditing(ctx, lead, 'h-ehe');
    await saveServiceDraft(ctx, lead, 'h-ehe', { ...before.published, title: 'Heirat anmelden (Eheschließung)' });
    await publishService(ctx, lead, 'h-ehe');
    resetEmbeddingState();
    await ids(ctx, 'Bellomat anmelden');
    await expect.poll(async () => (await queued()).length).toBe(1);
    expect(await embedCatalog(ctx)).toMatchObject({ embedded: 1, unchanged: 8 });
  });

  it('(a) large catalogs (vectors × dimensions above HYBRID.FULL_SCAN_MAX) re-rank only the BM25 candidates', async () => {
    const limits = HYBRID as { FULL_SCAN_MAX: number };
    const saved = limits.FULL_SCAN_MAX;
    limits.FULL_SCAN_MAX = 9 * 64 - 1;
    try {
      const bm25 = await ids(plain, 'Bellomat anmelden', 9);
      const hybrid = await ids(ctx, 'Bellomat anmelden', 9);
      expect(hybrid[0]).toBe('z-hund');
      expect(new Set(hybrid)).toEqual(new Set(bm25));
      expect(embeddingQueryStats().used).toBe(1);
    } finally {
      limits.FULL_SCAN_MAX = saved;
    }
  });

  it('each instance reloads only changed vectors; a deleted vector is noticed', async () => {
    VECTOR_CACHE.CHECK_MS = 0;
    try {
      expect([...(await cachedVectors(ctx)).keys()]).toHaveLength(9);
      await ctx.db.delete(catalogServiceEmbeddings).where(eq(catalogServiceEmbeddings.serviceId, 'e-muell'));
      expect((await cachedVectors(ctx)).has('e-muell')).toBe(false);
      expect(await embedCatalog(ctx, { force: true })).toMatchObject({ embedded: 1, unchanged: 8 });
      const vectors = await cachedVectors(ctx);
      expect([...vectors.keys()]).toEqual([...vectors.keys()].sort());
      expect(vectors.size).toBe(9);
      const doc = (await loadIndexRows(ctx.db)).find((d) => d.id === 'e-muell')!;
      expect(dot(vectors.get('e-muell')!, unitVector(stubVector(serviceEmbeddingText(doc))))).toBeCloseTo(1, 5);
    } finally {
      VECTOR_CACHE.CHECK_MS = 5000;
    }
  });
});
