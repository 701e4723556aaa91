// Round-5 experiment harness (catalog search): one line per variant with the three measures the
// retrieval rounds use – dev halves (odd = development, even = check), catalog pseudo-queries
// (no dev) and the Northeim regression set (second catalog, no dev).
//   node --import tsx bench/search-check.ts ['{"prf":false}' …]   (each argument: CatalogIndex options as JSON)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogIndex } from '../src/modules/catalog/search-index.ts';
import { evaluate, indexDocsFromFile, splitHalves, type Question } from './search-eval.ts';

const SHARED = join(import.meta.dirname, '..', '..', 'shared');
const docs = indexDocsFromFile(process.env.BENCH_SERVICES ?? join(SHARED, 'data/services/services_de.json'));
const qs = readFileSync(process.env.BENCH_QUESTIONS ?? join(SHARED, 'data/questions/dev.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);
const halves = splitHalves(qs);
const northeimDocs = indexDocsFromFile(join(import.meta.dirname, '..', 'src/modules/catalog/seed/northeim-services.json'));
const regression = readFileSync(join(import.meta.dirname, '..', 'src/modules/assistant/regression.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);

/** Unique DLDB keywords as queries against an index without the keywords field (as in bench/search.mjs). */
export function pseudoQueries(base: typeof docs) {
  const kwCount = new Map<string, number>();
  for (const d of base) for (const k of new Set(d.keywords.map((x) => x.trim().toLowerCase()))) kwCount.set(k, (kwCount.get(k) ?? 0) + 1);
  const queries: Question[] = base.flatMap((d) => [...new Set(d.keywords.map((x) => x.trim()))].filter((k) => k.length > 2 && kwCount.get(k.toLowerCase()) === 1).map((k, i) => ({ id: `p${d.id}-${i}`, question: k, lang: 'de' as const, expected: [d.id], refuse: false })));
  return { queries, docs: base.map((d) => ({ ...d, keywords: [] })) };
}
const pseudo = pseudoQueries(docs);

const f = (x: number) => x.toFixed(3);
const variants = process.argv.slice(2).length ? process.argv.slice(2) : ['{}'];
for (const v of variants) {
  const opts = JSON.parse(v) as ConstructorParameters<typeof CatalogIndex>[3];
  const ix = new CatalogIndex(docs, {}, 0, opts);
  const all = evaluate(ix, qs);
  const odd = evaluate(ix, halves.odd);
  const even = evaluate(ix, halves.even);
  const en = evaluate(ix, qs.filter((q) => q.lang === 'en'));
  const ps = evaluate(new CatalogIndex(pseudo.docs, {}, 0, opts), pseudo.queries);
  const ne = evaluate(new CatalogIndex(northeimDocs, {}, 0, opts), regression);
  console.log(`${v.padEnd(40)} all ${f(all.mrr)}/${f(all.top1)}/${f(all.top3)}  odd ${f(odd.mrr)}/${f(odd.top1)}  even ${f(even.mrr)}/${f(even.top1)}  en ${f(en.mrr)}/${f(en.top3)}  pseudo ${f(ps.mrr)}/${f(ps.top1)}  northeim ${f(ne.mrr)}/${f(ne.top1)}`);
}
if (process.env.SHOW_EN) {
  for (const v of variants) {
    const ix = new CatalogIndex(docs, {}, 0, JSON.parse(v));
    const ne = new CatalogIndex(northeimDocs, {}, 0, JSON.parse(v));
    for (const [x, set] of [[ix, qs], [ne, regression]] as const) for (const q of set.filter((q) => q.lang === 'en')) {
      const { hits } = x.search(q.question, { lang: 'en', limit: 5 });
      const r = hits.findIndex((h) => q.expected.includes(h.id)) + 1;
      console.log(`${v.slice(0, 30).padEnd(30)} ${q.id} ${q.refuse ? 'REF' : r ? `#${r}` : 'XX'} c=${hits[0]?.confidence} ${hits[0] ? x.docs.get(hits[0].id)!.title.slice(0, 40) : ''} | ${q.question.slice(0, 60)}`);
    }
  }
}
// English probes (bench/search-en-probe.jsonl): written for this round from the Munich catalog
// titles (not from dev), on purpose with words the hand-written bridge lacks.
const probes = readFileSync(join(import.meta.dirname, 'search-en-probe.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);
for (const v of variants) {
  const r = evaluate(new CatalogIndex(docs, {}, 0, JSON.parse(v)), probes);
  console.log(`${v.padEnd(40)} en-probe ${f(r.mrr)}/${f(r.top1)}/${f(r.top3)}`);
}
