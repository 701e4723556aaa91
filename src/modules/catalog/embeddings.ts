/**
 * Optional hybrid search: BM25F (always) plus semantic similarity from text embeddings, when the
 * town runs an OpenAI-compatible embeddings endpoint (`LOTSE_EMBEDDINGS_BASE_URL`,
 * `POST {base}/embeddings` with `{model, input: [...]}`). Not configured → nothing changes.
 *
 * - Service vectors are computed by the recurring job `catalog.embed` (batches, content hash per
 *   service so unchanged services are not embedded again, model name stored with the vector so a
 *   model change re-embeds everything) and stored as float32 `bytea` (works without pgvector).
 * - A query is embedded with a short budget (`LOTSE_EMBEDDINGS_TIMEOUT_MS`, default 800 ms); on
 *   timeout, error or garbage the search answers with BM25 alone. The query text is never logged
 *   or stored; its vector is cached in memory for a few minutes only.
 * - Fusion is a weighted score (see {@link fuseScores} and docs/modules/catalog.md, "Embeddings").
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Config } from '../../core/config.ts';
import type { AppContext } from '../../core/context.ts';
import { execRows, type Database } from '../../core/db/index.ts';
import { runRecurringSoon } from '../../core/jobs/schedule.ts';
import { getSetting, setSetting } from '../../core/settings/index.ts';
import { getCatalogVersion, loadIndexRows } from './repository.ts';
import { catalogServiceEmbeddings } from './schema.ts';
import type { CatalogIndex, IndexDoc } from './search-index.ts';

export type EmbeddingsConfig = Pick<Config, 'LOTSE_EMBEDDINGS_BASE_URL' | 'LOTSE_EMBEDDINGS_MODEL' | 'LOTSE_EMBEDDINGS_API_KEY' | 'LOTSE_EMBEDDINGS_TIMEOUT_MS'>;

/** Version of the text a service is embedded from; part of the content hash (a change re-embeds). */
export const EMBED_TEXT_VERSION = 'embed-text-1';
/** Queue of the (re)compute job. */
export const EMBED_QUEUE = 'catalog.embed';
/** Services per request to the endpoint. */
export const EMBED_BATCH = 32;
/** Budget for one batch request of the job (the query budget is much shorter). */
const JOB_REQUEST_TIMEOUT_MS = 30_000;
/** Characters of a service text sent to the model (small models read ~512 tokens). */
const MAX_EMBED_CHARS = 2000;
const SETTING_KEY = 'catalog.embeddings.state';

/** Fusion parameters (documented in docs/modules/catalog.md, "Embeddings"). */
export const HYBRID = {
  /** Share of the semantic score in the fused score; BM25 keeps the rest. */
  WEIGHT: 0.35,
  /** BM25 candidates considered. */
  BM25_POOL: 50,
  /** Services the vectors may add that BM25 did not find (nearest by cosine). */
  VECTOR_POOL: 20,
  /**
   * Multiply-adds per query up to which every service vector is compared (e.g. 1,950 services at
   * 1,024 dimensions). Above, only the BM25 candidates are re-ranked and the median/max come
   * from a fixed sample, so a 10,000-service catalog stays fast.
   */
  FULL_SCAN_MAX: 2_000_000,
  /** Size of that sample (every k-th service by id). */
  SAMPLE: 256,
} as const;

/** Query vectors kept in memory (never persisted): at most this many, this long. */
const QUERY_CACHE_MAX = 500;
const QUERY_CACHE_TTL_MS = 10 * 60_000;
/** After this many failed query embeddings in a row, skip the endpoint for a while. */
const BREAKER_FAILURES = 3;
const BREAKER_OPEN_MS = 30_000;
/** How often an instance asks the database whether the stored vectors changed (tests may lower it). */
export const VECTOR_CACHE = { CHECK_MS: 5000 };
/** A search that sees vectors older than the catalog asks for the job at most this often (per instance). */
const KICK_EVERY_MS = 60_000;

export const embeddingsConfigured = (config: Pick<Config, 'LOTSE_EMBEDDINGS_BASE_URL'>): boolean => !!config.LOTSE_EMBEDDINGS_BASE_URL;

// ---------------------------------------------------------------------------------------------
// Vectors
// ---------------------------------------------------------------------------------------------

/** float32 little-endian bytes of a vector (what is stored in `bytea`). */
export function encodeVector(v: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(v.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return out;
}

/**
 * The vector in `bytes` (from {@link encodeVector}).
 * @throws Error when the length is not a multiple of 4.
 */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`Vektor mit ${bytes.byteLength} Bytes ist kein float32-Vektor.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The vector scaled to length 1 (a zero vector stays zero), so a dot product is the cosine. */
export function unitVector(v: ArrayLike<number>): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  const s = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * s;
  return out;
}

/** Dot product (four accumulators: about twice as fast as the plain loop in V8). */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  const n4 = n - (n % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i < n4; i += 4) {
    s0 += a[i]! * b[i]!;
    s1 += a[i + 1]! * b[i + 1]!;
    s2 += a[i + 2]! * b[i + 2]!;
    s3 += a[i + 3]! * b[i + 3]!;
  }
  for (; i < n; i++) s0 += a[i]! * b[i]!;
  return s0 + s1 + s2 + s3;
}

// ---------------------------------------------------------------------------------------------
// Fusion
// ---------------------------------------------------------------------------------------------

export interface RankedHit {
  id: string;
  score: number;
  matchedTerms: string[];
  confidence: number;
}

/**
 * Fuses BM25 hits (best first) with cosine similarities (id → cosine, all services with a vector):
 *
 *   b(d) = bm25(d) / bm25(top)                                   (0 when BM25 did not find d)
 *   v(d) = max(0, (cos(d) − median cos) / (max cos − median cos)) (0 when d has no vector)
 *   fused(d) = (1 − w) · b(d) + w · v(d),  w = {@link HYBRID}.WEIGHT
 *
 * The median over the catalog is the zero point because embedding models differ in how similar
 * unrelated texts look (often 0.7+). Candidates: the BM25 hits plus the `vectorPool` nearest
 * services. Returned `score` is fused × bm25(top) (the BM25 scale, so relative cut-offs keep
 * working); `confidence` is the BM25 confidence of the top hit × fused / fused(top): the hybrid
 * changes the order, not how sure the search is. No BM25 hit → no hits (the vectors re-rank and
 * add to lexical evidence, they never answer alone).
 */
export function fuseScores(bm25: RankedHit[], cosines: Map<string, number>, opts: { weight?: number; vectorPool?: number; limit: number }): RankedHit[] {
  const top = bm25[0];
  if (!top || top.score <= 0) return bm25.slice(0, opts.limit);
  const w = opts.weight ?? HYBRID.WEIGHT;
  const sorted = [...cosines.values()].sort((a, b) => a - b);
  if (sorted.length === 0) return bm25.slice(0, opts.limit);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const max = sorted[sorted.length - 1]!;
  const spread = max - median;
  const sem = (id: string): number => {
    const c = cosines.get(id);
    return c === undefined || spread <= 1e-9 ? 0 : Math.max(0, (c - median) / spread);
  };
  const byId = new Map(bm25.map((h) => [h.id, h]));
  const candidates = new Set(bm25.map((h) => h.id));
  const nearest = [...cosines.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, opts.vectorPool ?? HYBRID.VECTOR_POOL);
  for (const [id] of nearest) candidates.add(id);
  const bmRank = new Map(bm25.map((h, i) => [h.id, i]));
  const fused = [...candidates]
    .map((id) => ({ id, f: (1 - w) * ((byId.get(id)?.score ?? 0) / top.score) + w * sem(id) }))
    .sort((a, b) => b.f - a.f || (bmRank.get(a.id) ?? Infinity) - (bmRank.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : 1));
  const fTop = fused[0]!.f;
  const topConf = top.confidence;
  return fused.slice(0, opts.limit).map(({ id, f }) => ({
    id,
    score: fTop > 0 ? top.score * f : 0,
    matchedTerms: byId.get(id)?.matchedTerms ?? [],
    confidence: fTop > 0 ? Math.round(topConf * (f / fTop) * 1000) / 1000 : 0,
  }));
}

// ---------------------------------------------------------------------------------------------
// Endpoint
// ---------------------------------------------------------------------------------------------

export type EmbedFailure = 'down' | 'timeout' | 'http_error' | 'garbage';
export type EmbedOutcome = { ok: true; vectors: Float32Array[] } | { ok: false; reason: EmbedFailure; detail: string };

/**
 * `POST {base}/embeddings` with `{model, input}`. Never throws; checks that the answer has one
 * finite vector per input, all of the same length (`data[].index` order is respected).
 */
export async function requestEmbeddings(config: EmbeddingsConfig, inputs: string[], timeoutMs: number): Promise<EmbedOutcome> {
  const base = (config.LOTSE_EMBEDDINGS_BASE_URL ?? '').replace(/\/$/, '');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let body: unknown;
  const payload = JSON.stringify({ model: config.LOTSE_EMBEDDINGS_MODEL, input: inputs });
  const send = () =>
    fetch(`${base}/embeddings`, {
      method: 'POST',
      signal: controller.signal,
      headers: {
        'content-type': 'application/json',
        ...(config.LOTSE_EMBEDDINGS_API_KEY ? { authorization: `Bearer ${config.LOTSE_EMBEDDINGS_API_KEY}` } : {}),
      },
      body: payload,
    });
  try {
    let res: Response;
    try {
      res = await send();
    } catch (e) {
      // A kept-alive connection the server closed just now fails at once: one more try, same budget.
      if (controller.signal.aborted || (e as Error).name === 'AbortError') throw e;
      res = await send();
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      return { ok: false, reason: 'http_error', detail: `HTTP ${res.status}` };
    }
    const raw = await res.text();
    try {
      body = JSON.parse(raw);
    } catch {
      return { ok: false, reason: 'garbage', detail: 'keine JSON-Antwort' };
    }
  } catch (e) {
    const aborted = (e as Error).name === 'AbortError' || controller.signal.aborted;
    const code = ((e as Error & { cause?: { code?: unknown } }).cause?.code ?? '') as string;
    return aborted
      ? { ok: false, reason: 'timeout', detail: `länger als ${timeoutMs} ms` }
      : { ok: false, reason: 'down', detail: `Endpunkt nicht erreichbar${/^[A-Z_]+$/.test(code) ? ` (${code})` : ''}` };
  } finally {
    clearTimeout(timer);
  }
  const data = (body as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== inputs.length) return { ok: false, reason: 'garbage', detail: 'Antwort ohne passende Vektorliste' };
  const out: Float32Array[] = new Array(inputs.length);
  let dims = -1;
  for (let i = 0; i < data.length; i++) {
    const item = data[i] as { embedding?: unknown; index?: unknown };
    const at = typeof item?.index === 'number' && Number.isInteger(item.index) ? item.index : i;
    const emb = item?.embedding;
    if (!Array.isArray(emb) || emb.length === 0 || at < 0 || at >= inputs.length || out[at]) return { ok: false, reason: 'garbage', detail: 'ungültiger Vektor' };
    if (dims === -1) dims = emb.length;
    if (emb.length !== dims || !emb.every((x) => typeof x === 'number' && Number.isFinite(x))) return { ok: false, reason: 'garbage', detail: 'ungültiger Vektor' };
    out[at] = Float32Array.from(emb as number[]);
  }
  return { ok: true, vectors: out };
}

// ---------------------------------------------------------------------------------------------
// Service vectors (job)
// ---------------------------------------------------------------------------------------------

/** The text a service is embedded from: title, search terms, life situations, description. */
export function serviceEmbeddingText(d: Pick<IndexDoc, 'title' | 'keywords' | 'lifeSituationTitles' | 'description'>): string {
  const parts = [d.title, d.keywords.join(', '), d.lifeSituationTitles.join(', '), d.description].map((s) => s.replace(/\s+/g, ' ').trim()).filter(Boolean);
  return parts.join('\n').slice(0, MAX_EMBED_CHARS);
}

export const contentHash = (text: string): string => createHash('sha256').update(`${EMBED_TEXT_VERSION}\n${text}`).digest('hex').slice(0, 32);

export interface EmbedCatalogResult {
  model: string;
  embedded: number;
  unchanged: number;
  removed: number;
  skipped?: 'not_configured' | 'up_to_date';
}

interface EmbedState {
  catalogVersion: number;
  model: string;
  textVersion: string;
}

/**
 * Brings the stored service vectors up to date: embeds published services whose text hash or
 * model differs (in batches of {@link EMBED_BATCH}, each batch stored at once so progress is
 * kept), removes vectors of services no longer published. Skips all work when neither the
 * catalog version nor the model changed since the last complete run.
 * @throws Error when the endpoint fails (the job is retried by its next run).
 */
export async function embedCatalog(ctx: AppContext, opts: { force?: boolean; batchSize?: number } = {}): Promise<EmbedCatalogResult> {
  const model = ctx.config.LOTSE_EMBEDDINGS_MODEL;
  if (!embeddingsConfigured(ctx.config)) return { model, embedded: 0, unchanged: 0, removed: 0, skipped: 'not_configured' };
  const version = await getCatalogVersion(ctx.db);
  const state = await getSetting<EmbedState | null>(ctx.db, SETTING_KEY, null);
  if (!opts.force && state && state.catalogVersion === version && state.model === model && state.textVersion === EMBED_TEXT_VERSION) {
    return { model, embedded: 0, unchanged: 0, removed: 0, skipped: 'up_to_date' };
  }
  const docs = await loadIndexRows(ctx.db);
  const stored = await ctx.db.select({ id: catalogServiceEmbeddings.serviceId, model: catalogServiceEmbeddings.model, hash: catalogServiceEmbeddings.contentHash }).from(catalogServiceEmbeddings);
  const storedBy = new Map(stored.map((s) => [s.id, s]));
  const todo: { id: string; text: string; hash: string }[] = [];
  let unchanged = 0;
  for (const d of docs) {
    const text = serviceEmbeddingText(d);
    const hash = contentHash(text);
    const s = storedBy.get(d.id);
    if (s && s.model === model && s.hash === hash) unchanged++;
    else todo.push({ id: d.id, text, hash });
  }
  const published = new Set(docs.map((d) => d.id));
  const gone = stored.filter((s) => !published.has(s.id)).map((s) => s.id);
  for (const id of gone) await ctx.db.delete(catalogServiceEmbeddings).where(eq(catalogServiceEmbeddings.serviceId, id));
  const size = Math.max(1, opts.batchSize ?? EMBED_BATCH);
  let embedded = 0;
  for (let i = 0; i < todo.length; i += size) {
    const batch = todo.slice(i, i + size);
    const r = await requestEmbeddings(ctx.config, batch.map((b) => b.text), JOB_REQUEST_TIMEOUT_MS);
    if (!r.ok) {
      ctx.log.warn({ reason: r.reason, detail: r.detail, embedded, remaining: todo.length - i }, 'service embeddings failed');
      throw new Error(`Embeddings-Endpunkt: ${r.detail} (${embedded} von ${todo.length} Leistungen eingebettet)`);
    }
    const now = new Date();
    await ctx.db
      .insert(catalogServiceEmbeddings)
      .values(batch.map((b, j) => ({ serviceId: b.id, model, dims: r.vectors[j]!.length, contentHash: b.hash, vector: encodeVector(r.vectors[j]!), updatedAt: now })))
      .onConflictDoUpdate({
        target: catalogServiceEmbeddings.serviceId,
        set: { model: sql`excluded.model`, dims: sql`excluded.dims`, contentHash: sql`excluded.content_hash`, vector: sql`excluded.vector`, updatedAt: sql`excluded.updated_at` },
      });
    embedded += batch.length;
  }
  await setSetting(ctx.db, SETTING_KEY, { catalogVersion: version, model, textVersion: EMBED_TEXT_VERSION } satisfies EmbedState, null);
  ctx.log.info({ model, embedded, unchanged, removed: gone.length }, 'service embeddings up to date');
  return { model, embedded, unchanged, removed: gone.length };
}

/** Job handler of {@link EMBED_QUEUE} (recurring; a failed run is retried by the next one). */
export const embeddingJobs = {
  [EMBED_QUEUE]: async (ctx: AppContext) => {
    await embedCatalog(ctx);
  },
};

// ---------------------------------------------------------------------------------------------
// Query time
// ---------------------------------------------------------------------------------------------

interface VectorCache {
  model: string;
  stamp: string;
  vectors: Map<string, Float32Array>;
  /** Every k-th vector (large catalogs: zero point and scale of the semantic score). */
  sample: Map<string, Float32Array>;
  dims: number;
  checkedAt: number;
  loading: Promise<void> | null;
  /** Catalog version the last complete job run embedded (-1: never). */
  embeddedVersion: number;
  kickedAt: number;
  /** Newest `updated_at` seen (text from PostgreSQL), for incremental loading. */
  maxUpdated: string | null;
}
let vectorCaches = new WeakMap<Database, VectorCache>();
const queryCache = new Map<string, { v: Float32Array; at: number }>();
let failuresInRow = 0;
let breakerUntil = 0;

/** Counters since start (this instance), for the staff view and tests; no query texts. */
const stats = { queries: 0, used: 0, cached: 0, skipped: 0, fallbacks: { down: 0, timeout: 0, http_error: 0, garbage: 0, dims: 0, no_vectors: 0 } as Record<string, number>, lastFallbackAt: null as string | null };

export function embeddingQueryStats(): typeof stats {
  return structuredClone(stats);
}

/** Forgets cached vectors, counters and the circuit breaker (tests). */
export function resetEmbeddingState(): void {
  vectorCaches = new WeakMap();
  queryCache.clear();
  failuresInRow = 0;
  breakerUntil = 0;
  stats.queries = stats.used = stats.cached = stats.skipped = 0;
  for (const k of Object.keys(stats.fallbacks)) stats.fallbacks[k] = 0;
  stats.lastFallbackAt = null;
}

/** The service vectors this instance holds for the configured model (tests, diagnostics). */
export async function cachedVectors(ctx: AppContext): Promise<Map<string, Float32Array>> {
  return (await loadVectors(ctx, ctx.config.LOTSE_EMBEDDINGS_MODEL)).vectors;
}

async function loadVectors(ctx: AppContext, model: string): Promise<VectorCache> {
  let c = vectorCaches.get(ctx.database);
  if (!c || c.model !== model) {
    c = { model, stamp: '', vectors: new Map(), sample: new Map(), dims: 0, checkedAt: 0, loading: null, embeddedVersion: -1, kickedAt: 0, maxUpdated: null };
    vectorCaches.set(ctx.database, c);
  }
  const cache = c;
  if (Date.now() - cache.checkedAt < VECTOR_CACHE.CHECK_MS) return cache;
  cache.loading ??= (async () => {
    const [row] = await execRows<{ n: number | string; m: string | null }>(
      ctx.db,
      sql`SELECT count(*) AS n, max(updated_at)::text AS m FROM catalog_service_embeddings WHERE model = ${model}`,
    );
    const stamp = `${row?.n ?? 0}|${row?.m ?? ''}`;
    const state = await getSetting<EmbedState | null>(ctx.db, SETTING_KEY, null);
    cache.embeddedVersion = state && state.model === model && state.textVersion === EMBED_TEXT_VERSION ? state.catalogVersion : -1;
    if (stamp !== cache.stamp) {
      const load = (since: string | null) =>
        ctx.db
          .select({ id: catalogServiceEmbeddings.serviceId, vector: catalogServiceEmbeddings.vector })
          .from(catalogServiceEmbeddings)
          .where(since ? and(eq(catalogServiceEmbeddings.model, model), sql`${catalogServiceEmbeddings.updatedAt} > ${since}::timestamptz`) : eq(catalogServiceEmbeddings.model, model))
          .orderBy(catalogServiceEmbeddings.serviceId);
      // While the job writes batches only the new rows are read; a deletion (size mismatch) reads all.
      let vectors = new Map(cache.vectors);
      for (const r of await load(cache.maxUpdated)) vectors.set(r.id, unitVector(decodeVector(r.vector)));
      if (vectors.size !== Number(row?.n ?? 0)) {
        vectors = new Map();
        for (const r of await load(null)) vectors.set(r.id, unitVector(decodeVector(r.vector)));
      }
      vectors = new Map([...vectors].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
      const dimCount = new Map<number, number>();
      for (const v of vectors.values()) dimCount.set(v.length, (dimCount.get(v.length) ?? 0) + 1);
      // Vectors of another length than the majority (should not happen under one model name) are ignored.
      const dims = [...dimCount.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
      for (const [id, v] of vectors) if (v.length !== dims) vectors.delete(id);
      const step = Math.max(1, Math.ceil(vectors.size / HYBRID.SAMPLE));
      cache.sample = new Map([...vectors].filter((_, i) => i % step === 0));
      cache.vectors = vectors;
      cache.dims = dims;
      cache.stamp = stamp;
      cache.maxUpdated = row?.m ?? null;
    }
    cache.checkedAt = Date.now();
  })().finally(() => {
    cache.loading = null;
  });
  await cache.loading;
  return cache;
}

function fallback(ctx: AppContext, reason: string, detail: string): void {
  stats.fallbacks[reason] = (stats.fallbacks[reason] ?? 0) + 1;
  stats.lastFallbackAt = new Date().toISOString();
  // Never the query text (data minimisation).
  ctx.log.warn({ reason, detail }, 'query embedding unavailable, BM25 only');
}

async function queryVector(ctx: AppContext, query: string): Promise<Float32Array | null> {
  const model = ctx.config.LOTSE_EMBEDDINGS_MODEL;
  const key = `${model}\n${query.replace(/\s+/g, ' ').trim()}`;
  const hit = queryCache.get(key);
  if (hit && Date.now() - hit.at < QUERY_CACHE_TTL_MS) {
    queryCache.delete(key);
    queryCache.set(key, hit);
    stats.cached++;
    return hit.v;
  }
  if (Date.now() < breakerUntil) {
    stats.skipped++;
    return null;
  }
  const r = await requestEmbeddings(ctx.config, [query], ctx.config.LOTSE_EMBEDDINGS_TIMEOUT_MS);
  if (!r.ok) {
    if (++failuresInRow >= BREAKER_FAILURES) breakerUntil = Date.now() + BREAKER_OPEN_MS;
    fallback(ctx, r.reason, r.detail);
    return null;
  }
  failuresInRow = 0;
  const v = unitVector(r.vectors[0]!);
  queryCache.set(key, { v, at: Date.now() });
  while (queryCache.size > QUERY_CACHE_MAX) queryCache.delete(queryCache.keys().next().value!);
  return v;
}

/**
 * The ranked hits for `query`: BM25 alone when no embeddings endpoint is configured or anything
 * about it fails, else BM25 fused with the cosine similarity of the service vectors
 * ({@link fuseScores}). Same shape as `CatalogIndex.search(...).hits`.
 */
export async function hybridSearch(ctx: AppContext, index: CatalogIndex, query: string, opts: { lang?: 'de' | 'en'; limit?: number } = {}): Promise<RankedHit[]> {
  if (!embeddingsConfigured(ctx.config)) return index.search(query, opts).hits;
  const limit = Math.max(1, Math.min(opts.limit ?? 10, 100));
  const bm25 = index.search(query, { ...opts, limit: Math.max(limit, HYBRID.BM25_POOL) }).hits;
  if (bm25.length === 0) return [];
  stats.queries++;
  try {
    const cache = await loadVectors(ctx, ctx.config.LOTSE_EMBEDDINGS_MODEL);
    // Published or imported since the last run: ask the worker to run the job now (not in 60 s).
    if (cache.embeddedVersion < index.version && Date.now() - cache.kickedAt > KICK_EVERY_MS) {
      cache.kickedAt = Date.now();
      runRecurringSoon(ctx.db, EMBED_QUEUE, ctx.now()).catch((e: unknown) => ctx.log.warn({ err: (e as Error).message }, 'could not schedule catalog.embed'));
    }
    // No service vectors yet (job not run): do not send the query anywhere.
    if (cache.vectors.size === 0) {
      stats.fallbacks['no_vectors']!++;
      return bm25.slice(0, limit);
    }
    const qv = await queryVector(ctx, query);
    if (!qv) return bm25.slice(0, limit);
    if (qv.length !== cache.dims) {
      fallback(ctx, 'dims', `Anfragevektor ${qv.length}, Leistungsvektoren ${cache.dims} Dimensionen`);
      return bm25.slice(0, limit);
    }
    const cosines = new Map<string, number>();
    const full = cache.vectors.size * cache.dims <= HYBRID.FULL_SCAN_MAX;
    if (full) {
      for (const [id, v] of cache.vectors) if (index.docs.has(id)) cosines.set(id, dot(qv, v));
    } else {
      for (const h of bm25) {
        const v = cache.vectors.get(h.id);
        if (v) cosines.set(h.id, dot(qv, v));
      }
      for (const [id, v] of cache.sample) if (index.docs.has(id)) cosines.set(id, dot(qv, v));
    }
    stats.used++;
    return fuseScores(bm25, cosines, { limit, vectorPool: full ? HYBRID.VECTOR_POOL : 0 });
  } catch (e) {
    ctx.log.warn({ err: (e as Error).message }, 'hybrid search failed, BM25 only');
    return bm25.slice(0, limit);
  }
}

export interface EmbeddingStatus {
  configured: boolean;
  model: string;
  published: number;
  /** Published services with a vector of the configured model. */
  embedded: number;
  query: ReturnType<typeof embeddingQueryStats>;
}

/** For staff views and the CLI: how many services have a vector, query fallbacks since start. */
export async function getEmbeddingStatus(ctx: AppContext): Promise<EmbeddingStatus> {
  const model = ctx.config.LOTSE_EMBEDDINGS_MODEL;
  const [row] = await execRows<{ published: number | string; embedded: number | string }>(
    ctx.db,
    sql`SELECT count(*) AS published, count(e.service_id) AS embedded
        FROM catalog_services s LEFT JOIN catalog_service_embeddings e ON e.service_id = s.id AND e.model = ${model}
        WHERE s.status = 'published'`,
  );
  return { configured: embeddingsConfigured(ctx.config), model, published: Number(row?.published ?? 0), embedded: Number(row?.embedded ?? 0), query: embeddingQueryStats() };
}
