// Optional hybrid search (embeddings): what it costs, measured against a local test endpoint
// (test/embeddings-stub: hashed bag of words, 1,024 dimensions – NOT a language model, so the
// quality figures only show that the fusion does not break BM25, not what a real model adds).
// Munich catalog (287) and a synthetic 10,000-service catalog.  Run: npm run bench:embeddings
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config.ts';
import { openDatabase } from '../src/core/db/index.ts';
import { createLogger } from '../src/core/logger.ts';
import { loadTown } from '../src/core/town.ts';
import { cliActor } from '../src/core/auth/actor.ts';
import { embedCatalog, importCatalog, searchServices } from '../src/modules/catalog/index.ts';
import { embeddingQueryStats, HYBRID, resetEmbeddingState } from '../src/modules/catalog/embeddings.ts';
import { percentile } from '../src/ml/rank-metrics.ts';
import { indexDocsFromFile } from './search-eval.ts';
import { startEmbedStub } from '../test/embeddings-stub/server.ts';
import { machineLine, writeSection } from './lib/report.mjs';

const SHARED = join(import.meta.dirname, '..', '..', 'shared');
const SERVICES = process.env.BENCH_SERVICES ?? join(SHARED, 'data/services/services_de.json');
const QUESTIONS = process.env.BENCH_QUESTIONS ?? join(SHARED, 'data/questions/dev.jsonl');
const questions = readFileSync(QUESTIONS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const tmp = mkdtempSync(join(tmpdir(), 'lotse-bench-embed-'));
const DIMS = 1024;
const load0 = loadavg()[0];

const stub = await startEmbedStub('ok', { dims: DIMS });
const log = createLogger('silent');

async function context(model) {
  const config = loadConfig({ LOTSE_LOG_LEVEL: 'silent', LOTSE_DEMO: 'off', LOTSE_DATA_DIR: tmp, LOTSE_EMBEDDINGS_BASE_URL: stub.baseUrl, LOTSE_EMBEDDINGS_MODEL: model });
  const database = await openDatabase({ memory: true });
  await database.migrate();
  const ctx = { config, town: loadTown(config.LOTSE_TOWN), database, db: database.db, log, now: () => new Date() };
  const plain = { ...ctx, config: { ...config, LOTSE_EMBEDDINGS_BASE_URL: undefined } };
  return { ctx, plain, database };
}

function score(hitsByQuestion) {
  const file = join(tmp, `answers-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, questions.map((q, i) => JSON.stringify({ id: q.id, answer: '', refused: false, confidence: hitsByQuestion[i][0]?.confidence ?? 0, sources: hitsByQuestion[i].map((h) => ({ serviceId: h.service.id, title: h.service.title, url: h.service.url })) })).join('\n') + '\n');
  const s = JSON.parse(execFileSync(process.execPath, [join(SHARED, 'tools/score_ask.mjs'), QUESTIONS, file, '--json'], { encoding: 'utf8' }));
  return s.overall ?? s;
}

/** p50/p95 of searchServices over the dev questions: first round (query vectors not cached), then warm rounds. */
async function latency(c, rounds) {
  resetEmbeddingState();
  const cold = [];
  const warm = [];
  const hits = [];
  for (const q of questions) {
    const s = performance.now();
    hits.push(await searchServices(c, q.question, { lang: q.lang, limit: 5 }));
    cold.push(performance.now() - s);
  }
  for (let r = 0; r < rounds; r++)
    for (const q of questions) {
      const s = performance.now();
      await searchServices(c, q.question, { lang: q.lang, limit: 5 });
      warm.push(performance.now() - s);
    }
  return { hits, cold: { p50: percentile(cold, 50), p95: percentile(cold, 95) }, warm: { p50: percentile(warm, 50), p95: percentile(warm, 95) }, stats: embeddingQueryStats() };
}

// 1. Munich catalog, 287 services (every vector compared).
const a = await context('stub-bow-1024');
await importCatalog(a.ctx, cliActor, SERVICES, { replace: true });
let t = performance.now();
const emb287 = await embedCatalog(a.ctx);
const embed287Ms = performance.now() - t;
t = performance.now();
const again287 = await embedCatalog(a.ctx, { force: true });
const again287Ms = performance.now() - t;
await searchServices(a.plain, 'Warmlauf');
const bm287 = await latency(a.plain, 5);
const hy287 = await latency(a.ctx, 5);
const q287 = { bm25: score(bm287.hits), hybrid: score(hy287.hits) };
await a.database.close();

// 2. Synthetic 10,000-service catalog (recombined Munich texts; above HYBRID.FULL_SCAN_MAX: BM25 candidates re-ranked).
const base = indexDocsFromFile(SERVICES);
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const sentences = base.flatMap((d) => d.description.split(/(?<=[.!?])\s+/)).filter((s) => s.length > 20);
const services = [];
for (let i = 0; i < 10_000; i++) {
  const d = base[i % base.length];
  const extra = Array.from({ length: 4 }, () => pick(sentences)).join(' ');
  services.push({ id: `syn-${i}`, title: i < base.length ? d.title : `${d.title} (${i})`, description: `${d.description} ${extra}`.slice(0, 4000), keywords: d.keywords.slice(0, 8) });
}
const synFile = join(tmp, 'synthetic-10000.json');
writeFileSync(synFile, JSON.stringify({ format: 'lotse-catalog', version: 1, services }));
const b = await context('stub-bow-1024');
await importCatalog(b.ctx, cliActor, synFile, { replace: true });
t = performance.now();
const emb10k = await embedCatalog(b.ctx);
const embed10kMs = performance.now() - t;
await searchServices(b.plain, 'Warmlauf');
const bm10k = await latency(b.plain, 2);
const hy10k = await latency(b.ctx, 2);
await b.database.close();
await stub.close();

const ms = (x) => `${x < 10 ? x.toFixed(1) : Math.round(x)} ms`;
const f2 = (x) => (typeof x === 'number' ? x.toFixed(3) : '–');
const md = `## Hybride Suche (Embeddings, optional)

\`npm run bench:embeddings\` · ${machineLine()} · load average at start ${load0.toFixed(2)} (shared machine; the coordinator re-runs on a quiet one) · questions: \`dev.jsonl\` (${questions.length}).

Endpoint: the **test stub** \`test/embeddings-stub/server.ts\` on loopback (hashed bag of words, ${DIMS} dimensions, answers in ~1 ms). A real model adds its own time per query (bounded by \`LOTSE_EMBEDDINGS_TIMEOUT_MS\`, default 800 ms) – these figures are Lotse's own overhead: HTTP round trip, cosine, fusion.

| catalog | search | first round p50 / p95 (query vector fetched) | warm p50 / p95 (query vector cached) |
|---|---|---|---|
| Munich, 287 | BM25 only | ${ms(bm287.cold.p50)} / ${ms(bm287.cold.p95)} | ${ms(bm287.warm.p50)} / ${ms(bm287.warm.p95)} |
| Munich, 287 | hybrid (all vectors compared) | ${ms(hy287.cold.p50)} / ${ms(hy287.cold.p95)} | ${ms(hy287.warm.p50)} / ${ms(hy287.warm.p95)} |
| synthetic, 10,000 | BM25 only | ${ms(bm10k.cold.p50)} / ${ms(bm10k.cold.p95)} | ${ms(bm10k.warm.p50)} / ${ms(bm10k.warm.p95)} |
| synthetic, 10,000 | hybrid (BM25 candidates + sample, FULL_SCAN_MAX ${HYBRID.FULL_SCAN_MAX.toLocaleString('en')}) | ${ms(hy10k.cold.p50)} / ${ms(hy10k.cold.p95)} | ${ms(hy10k.warm.p50)} / ${ms(hy10k.warm.p95)} |

Job \`catalog.embed\` (batches of 32, PGlite in memory): 287 services ${emb287.embedded} embedded in ${ms(embed287Ms)}; forced re-check without changes ${again287.embedded} embedded, ${again287.unchanged} unchanged in ${ms(again287Ms)}; 10,000 services in ${(embed10kMs / 1000).toFixed(1)} s (${emb10k.embedded} embedded). Fusion applied in ${hy287.stats.used} of ${hy287.stats.queries} (287) and ${hy10k.stats.used} of ${hy10k.stats.queries} (10,000) hybrid searches; fallbacks to BM25 (287 / 10,000): ${JSON.stringify(hy287.stats.fallbacks)} / ${JSON.stringify(hy10k.stats.fallbacks)}.

Sanity check of the fusion with the stub (not a model; MRR / top-1 / top-3 on dev): BM25 only ${f2(q287.bm25.mrr)} / ${f2(q287.bm25.top1)} / ${f2(q287.bm25.top3)}, hybrid with the stub ${f2(q287.hybrid.mrr)} / ${f2(q287.hybrid.top1)} / ${f2(q287.hybrid.top3)}. **No figure for a real embedding model**: none is available offline here; check the weight (HYBRID.WEIGHT = ${HYBRID.WEIGHT}) with the town's model on dev.jsonl before relying on it.
`;
writeSection('embeddings', md);
process.stdout.write(md);
