import type { AppContext } from '../../core/context.ts';
import type { Database } from '../../core/db/index.ts';
import { tokenize, stem } from '../../text/index.ts';
import { getCatalogVersion, listSynonymRows, loadIndexRows } from './repository.ts';
import { CatalogIndex } from './search-index.ts';
import { hybridSearch } from './embeddings.ts';
import type { SearchHit } from './types.ts';
import { withPublicUrl } from './public-url.ts';

/** How long an instance trusts its index before asking the database for the version again. */
const VERSION_CHECK_MS = 1000;
/** Queries longer than this are cut (and the cut is reported by the assistant). */
export const MAX_QUERY_CHARS = 1000;

interface CacheEntry {
  index: CatalogIndex | null;
  building: Promise<CatalogIndex> | null;
  checkedAt: number;
}
const cache = new WeakMap<Database, CacheEntry>();

async function build(ctx: AppContext): Promise<CatalogIndex> {
  const version = await getCatalogVersion(ctx.db);
  const [rows, syn] = await Promise.all([loadIndexRows(ctx.db), listSynonymRows(ctx.db)]);
  const town = Object.fromEntries(syn.map((s) => [s.term, s.expansions]));
  const index = new CatalogIndex(rows, town, version);
  ctx.log.info({ services: rows.length, ms: Math.round(index.buildMs), version }, 'catalog search index built');
  return index;
}

/**
 * The current search index of this instance. Rebuilt when the catalog version in the
 * database changed (checked at most once a second, so several instances stay in step).
 */
export async function getCatalogIndex(ctx: AppContext): Promise<CatalogIndex> {
  let entry = cache.get(ctx.database);
  if (!entry) cache.set(ctx.database, (entry = { index: null, building: null, checkedAt: 0 }));
  const now = Date.now();
  if (entry.index && now - entry.checkedAt < VERSION_CHECK_MS) return entry.index;
  if (entry.building) return entry.building;
  const e = entry;
  const current = e.index;
  const run = (async () => {
    const version = await getCatalogVersion(ctx.db);
    if (current && current.version === version) return current;
    return build(ctx);
  })();
  e.building = run;
  try {
    const idx = await run;
    e.index = idx;
    e.checkedAt = Date.now();
    return idx;
  } finally {
    e.building = null;
  }
}

/** Drops this instance's index (after a local change; other instances notice the version). */
export function invalidateCatalogIndex(ctx: AppContext): void {
  cache.delete(ctx.database);
}

function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/^•\s*/, '').trim())
    .filter((s) => s.length > 0);
}

/** Sentences of the service that contain matched terms, best first (max 3). */
function passagesFor(doc: { title: string; description: string; fees: string | null; documents: string[]; processingTime: string | null }, matched: Set<string>) {
  const fields: { field: string; parts: string[] }[] = [
    { field: 'description', parts: sentences(doc.description) },
    { field: 'fees', parts: doc.fees ? sentences(doc.fees) : [] },
    { field: 'documents', parts: doc.documents },
    { field: 'processingTime', parts: doc.processingTime ? [doc.processingTime] : [] },
  ];
  const scored: { field: string; text: string; score: number; order: number }[] = [];
  let order = 0;
  for (const f of fields) {
    for (const p of f.parts) {
      const toks = tokenize(p).map((t) => stem(t));
      const hit = new Set(toks.filter((t) => matched.has(t)));
      if (hit.size > 0) scored.push({ field: f.field, text: p.length > 400 ? `${p.slice(0, 397)}…` : p, score: hit.size, order: order++ });
    }
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.slice(0, 3).map(({ field, text }) => ({ field, text }));
}

/**
 * Ranked search over the published catalog with the German analyser (umlaut folding,
 * stemming, decompounding, synonyms, typo tolerance, English bridge) and BM25F.
 * An empty query returns []. Queries are capped at {@link MAX_QUERY_CHARS} characters.
 */
export async function searchServices(ctx: AppContext, query: string, opts: { lang?: 'de' | 'en'; limit?: number } = {}): Promise<SearchHit[]> {
  const q = String(query ?? '').slice(0, MAX_QUERY_CHARS);
  if (!q.trim()) return [];
  const index = await getCatalogIndex(ctx);
  // BM25 alone unless an embeddings endpoint is configured (then fused, see embeddings.ts).
  const hits = await hybridSearch(ctx, index, q, opts);
  return hits.map((h) => {
    const doc = index.docs.get(h.id)!;
    return {
      service: withPublicUrl(ctx, index.summary(h.id)),
      score: Math.round(h.score * 1000) / 1000,
      confidence: h.confidence,
      matchedTerms: h.matchedTerms,
      passages: passagesFor(doc, new Set(h.matchedTerms)),
    };
  });
}
