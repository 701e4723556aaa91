/**
 * BM25F ranking over documents with several weighted fields (Robertson & Zaragoza 2009,
 * "The Probabilistic Relevance Framework: BM25 and Beyond", simple BM25F): per-field term
 * frequencies are length-normalised, weighted and summed before the one saturation step.
 * In memory, no dependencies.
 *
 * @example
 * const ix = new Bm25fIndex({ title: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } });
 * ix.add('a', { title: ['hund', 'steur'], body: ['hund'] });
 * ix.search([{ term: 'hund', weight: 1 }], 10);
 */
export interface FieldSpec {
  weight: number;
  /** Length normalisation (0 = none, 1 = full). */
  b: number;
}

export interface QueryTerm {
  term: string;
  weight: number;
}

export interface Bm25Hit {
  id: string;
  score: number;
  /** Query terms that occur in the document. */
  matched: string[];
}

/** Terms of one field; `extra` terms (e.g. compound parts) count `extraWeight` each and do not add to the length. */
export interface FieldTerms {
  terms: string[];
  extra?: string[];
  extraWeight?: number;
}

export const BM25_VERSION = 'bm25f-1';

export class Bm25fIndex {
  private readonly fields: string[];
  private readonly specs: FieldSpec[];
  private readonly ids: string[] = [];
  private readonly lengths: number[][] = [];
  private readonly sumLen: number[];
  /** term → doc ids and, flat, one tf per field per posting (few long-lived objects, little GC). */
  private readonly postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private readonly priors: number[] = [];

  constructor(
    specs: Record<string, FieldSpec>,
    readonly k1 = 1.2,
  ) {
    this.fields = Object.keys(specs);
    this.specs = this.fields.map((f) => specs[f]!);
    this.sumLen = this.fields.map(() => 0);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Number of documents containing the term. */
  df(term: string): number {
    return this.postings.get(term)?.docs.length ?? 0;
  }

  /** Robertson–Sparck Jones IDF, always positive. */
  idf(term: string): number {
    const n = this.df(term);
    const N = this.ids.length;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** IDF of a term that occurs nowhere (the largest possible). */
  maxIdf(): number {
    return Math.log(1 + (this.ids.length + 0.5) / 0.5);
  }

  hasTerm(term: string): boolean {
    return this.postings.has(term);
  }

  /**
   * Adds a document. `fields` holds the analysed terms per field; `prior` (default 1)
   * multiplies the final score (e.g. to push down internal records).
   */
  add(id: string, fields: Record<string, string[] | FieldTerms>, prior = 1): void {
    const doc = this.ids.length;
    this.ids.push(id);
    this.priors.push(prior);
    const lens: number[] = [];
    const F = this.fields.length;
    const tfs = new Map<string, number[]>();
    this.fields.forEach((f, fi) => {
      const v = fields[f] ?? [];
      const ft: FieldTerms = Array.isArray(v) ? { terms: v } : v;
      lens.push(ft.terms.length);
      this.sumLen[fi]! += ft.terms.length;
      const bump = (t: string, w: number) => {
        let arr = tfs.get(t);
        if (!arr) tfs.set(t, (arr = new Array<number>(F).fill(0)));
        arr[fi]! += w;
      };
      for (const t of ft.terms) bump(t, 1);
      for (const t of ft.extra ?? []) bump(t, ft.extraWeight ?? 0.5);
    });
    this.lengths.push(lens);
    for (const [t, tf] of tfs) {
      let list = this.postings.get(t);
      if (!list) this.postings.set(t, (list = { docs: [], tfs: [] }));
      list.docs.push(doc);
      for (let f = 0; f < F; f++) list.tfs.push(tf[f]!);
    }
  }

  /** Ranks documents for weighted query terms; returns the best `limit` hits. */
  search(query: QueryTerm[], limit = 10): Bm25Hit[] {
    const N = this.ids.length;
    if (N === 0 || query.length === 0) return [];
    const avg = this.sumLen.map((s) => s / N || 1);
    const scores = new Float64Array(N);
    const touched: number[] = [];
    const matched = new Map<number, string[]>();
    for (const q of query) {
      const list = this.postings.get(q.term);
      if (!list) continue;
      const idf = this.idf(q.term);
      const F = this.fields.length;
      for (let k = 0; k < list.docs.length; k++) {
        const doc = list.docs[k]!;
        let tf = 0;
        const lens = this.lengths[doc]!;
        for (let f = 0; f < F; f++) {
          const raw = list.tfs[k * F + f]!;
          if (raw === 0) continue;
          const s = this.specs[f]!;
          tf += (s.weight * raw) / (1 - s.b + (s.b * lens[f]!) / avg[f]!);
        }
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += q.weight * idf * ((tf * (this.k1 + 1)) / (tf + this.k1));
        const m = matched.get(doc);
        if (m) m.push(q.term);
        else matched.set(doc, [q.term]);
      }
    }
    const hits = touched.map((d) => ({ d, s: scores[d]! * this.priors[d]! }));
    hits.sort((a, b) => b.s - a.s || (this.ids[a.d]! < this.ids[b.d]! ? -1 : 1));
    return hits.slice(0, limit).map((h) => ({ id: this.ids[h.d]!, score: h.s, matched: matched.get(h.d) ?? [] }));
  }
}
