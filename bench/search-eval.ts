// Quality harness for the catalog search (used by bench/search.mjs; also runnable alone):
//   node --import tsx bench/search-eval.ts [services.json] [questions.jsonl] [--show]
import { readFileSync } from 'node:fs';
import { catalogDocs } from '../src/modules/catalog/learned-rank-train.ts';
import { CatalogIndex } from '../src/modules/catalog/search-index.ts';
import { LEARNED_MODEL } from '../src/modules/catalog/learned-rank-weights.ts';
import { firstRelevantRank, hitRateAt, meanReciprocalRank } from '../src/ml/rank-metrics.ts';

/** The published services of a catalog file as search-index documents (the same mapping the ranker's training uses). */
export const indexDocsFromFile = catalogDocs;

export interface Question {
  id: string;
  question: string;
  lang: 'de' | 'en';
  expected: string[];
  refuse: boolean;
}

/** The dev set split by id parity (q001 odd, q002 even): develop on one half, check on the other. */
export function splitHalves<T extends { id: string }>(qs: T[]): { odd: T[]; even: T[] } {
  const num = (q: T) => Number(q.id.replace(/\D/g, '')) || 0;
  return { odd: qs.filter((q) => num(q) % 2 === 1), even: qs.filter((q) => num(q) % 2 === 0) };
}

export function evaluate(index: CatalogIndex, questions: Question[]) {
  const rows = questions.map((q) => {
    const { hits } = index.search(q.question, { lang: q.lang, limit: 5 });
    return { q, hits };
  });
  const answerable = rows.filter((r) => !r.q.refuse).map((r) => ({ ranked: r.hits.map((h) => h.id), relevant: r.q.expected }));
  return {
    rows,
    mrr: meanReciprocalRank(answerable),
    top1: hitRateAt(answerable, 1),
    top3: hitRateAt(answerable, 3),
    n: answerable.length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const services = args[0] ?? '../shared/data/services/services_de.json';
  const qfile = args[1] ?? '../shared/data/questions/dev.jsonl';
  // --learned: with the optional learned re-ranking stage (learned-rank.ts; off in production).
  const index = new CatalogIndex(indexDocsFromFile(services), {}, 0, process.argv.includes('--learned') ? { learned: LEARNED_MODEL } : {});
  const qs = readFileSync(qfile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Question);
  const r = evaluate(index, qs);
  console.log(`MRR ${r.mrr.toFixed(3)}  top1 ${r.top1.toFixed(3)}  top3 ${r.top3.toFixed(3)}  (n=${r.n}, build ${Math.round(index.buildMs)} ms)`);
  for (const [name, half] of Object.entries(splitHalves(qs))) {
    const h = evaluate(index, half);
    console.log(`  ${name}: MRR ${h.mrr.toFixed(3)}  top1 ${h.top1.toFixed(3)}  top3 ${h.top3.toFixed(3)}  (n=${h.n})`);
  }
  if (process.argv.includes('--show')) {
    for (const { q, hits } of r.rows) {
      const rank = q.refuse ? null : firstRelevantRank({ ranked: hits.map((h) => h.id), relevant: q.expected });
      const mark = q.refuse ? 'REF' : rank === 1 ? 'ok ' : rank ? `#${rank} ` : 'XX ';
      console.log(`${mark} ${q.id} c=${hits[0]?.confidence.toFixed(2) ?? '-'} ${q.question.slice(0, 80)}`);
      if (!q.refuse && rank !== 1) {
        console.log(`     expected ${q.expected.map((e) => `${e} ${index.docs.get(e)?.title}`).join(' | ')}`);
        for (const h of hits.slice(0, 3)) console.log(`     got ${h.id} ${index.docs.get(h.id)?.title} ${h.score.toFixed(2)} [${h.matchedTerms.join(',')}]`);
        console.log(`     terms ${index.analyzeQuery(q.question, q.lang).map((t) => `${t.term}:${t.kind[0]}${t.weight.toFixed(1)}`).join(' ')}`);
      }
    }
  }
}
