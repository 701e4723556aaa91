import { Bm25fIndex, type QueryTerm } from '../../ml/bm25.ts';
import { analyze, analyzeFieldForIndex, builtinGazetteer, builtinBridge, compileSynonyms, ENGLISH_BRIDGE, GERMAN_SYNONYMS, Lexicon, WORD_FAMILIES, tokenize, builtinThesaurus, type Thesaurus, type AnalyzedTerm, type SynonymIndex, type SynonymList } from '../../text/index.ts';
import type { ServiceSummary } from './types.ts';
import { analyzeTitle, queryCredit, RERANK, titleCover, type TitleWord } from './rerank.ts';
import { N_FEATURES, scoreFeatures, type LearnedModel } from './learned-rank.ts';

/** Field weights and length normalisation of the BM25F ranking (see docs/modules/catalog.md). */
export const FIELDS = {
  title: { weight: 4, b: 0.6 },
  keywords: { weight: 2.5, b: 0.4 },
  context: { weight: 0.8, b: 0.5 },
  description: { weight: 0.8, b: 0.75 },
  fees: { weight: 0.5, b: 0.75 },
} as const;

/** Share of the score a service keeps when it covers none of the other query words. */
const COORD_FLOOR = 0.5;
/** Bonus for a service that names the question's words close together (one sentence, keyword or title). */
const PASSAGE_BETA = 0.5;
/** Up to this many services, the proximity units are computed with the index (else lazily). */
const EAGER_PASSAGES_MAX = 1000;
/** How much a compound part counts in the index relative to a whole word. */
const PART_WEIGHT = 0.5;

export const SEARCH_VERSION = 'catalog-search-3 (bm25f-1, de-analyser-3, gazetteer-1, openthesaurus-nouns-2, title-cover-2, proximity-1)';

export interface IndexDoc {
  id: string;
  title: string;
  leika: string | null;
  url: string | null;
  description: string;
  documents: string[];
  fees: string | null;
  processingTime: string | null;
  legalBasis: string | null;
  department: string | null;
  keywords: string[];
  internal: boolean;
  lifeSituationTitles: string[];
  /** Names of related links/forms (DLDB), searched as context. */
  linkTitles?: string[];
}

/** An in-memory search index over the published catalog. Immutable once built. */
export class CatalogIndex {
  readonly bm25 = new Bm25fIndex(FIELDS);
  readonly lexicon = new Lexicon();
  readonly docs = new Map<string, IndexDoc>();
  private readonly titles = new Map<string, TitleWord[]>();
  readonly synonyms: SynonymIndex;
  readonly bridge: SynonymIndex;
  /** World knowledge (countries, months) as weak 'related' terms, unless switched off. */
  readonly gazetteer: SynonymIndex | undefined;
  /** General thesaurus for weak query expansion (built-in OpenThesaurus extract unless switched off). */
  readonly thesaurus: Thesaurus | undefined;
  /** Weight of the proximity bonus (PASSAGE_BETA, or 0 when switched off). */
  private readonly proximity: number;
  /** Share of the score kept without coordination (COORD_FLOOR unless given, for experiments). */
  private readonly coordFloor: number;
  readonly builtAt = Date.now();
  buildMs = 0;
  /** Optional learned re-ranking stage (off unless given). */
  readonly learned: LearnedModel | undefined;
  /** Per service and field the set of index terms (kept only for the learned stage / training). */
  private readonly fieldSets = new Map<string, Set<string>[]>();

  constructor(
    docs: IndexDoc[],
    townSynonyms: SynonymList,
    readonly version: number,
    /** Switches for comparisons (bench): thesaurus expansion, gazetteer, proximity bonus – all on by default. */
    opts: { thesaurus?: boolean; gazetteer?: boolean; proximity?: boolean; learned?: LearnedModel; features?: boolean; proximityWeight?: number; coordFloor?: number } = {},
  ) {
    const t0 = performance.now();
    this.learned = opts.learned;
    const keepFields = !!opts.learned || !!opts.features;
    this.thesaurus = opts.thesaurus === false ? undefined : builtinThesaurus();
    this.proximity = opts.proximity === false ? 0 : (opts.proximityWeight ?? PASSAGE_BETA);
    this.coordFloor = opts.coordFloor ?? COORD_FLOOR;
    this.synonyms = compileSynonyms(WORD_FAMILIES, GERMAN_SYNONYMS, townSynonyms);
    this.gazetteer = opts.gazetteer === false ? undefined : builtinGazetteer();
    this.bridge = Object.keys(townSynonyms).length ? compileSynonyms(ENGLISH_BRIDGE) : builtinBridge();
    // Pass 1: the vocabulary (for decompounding and typo correction).
    // Each field is tokenised once and reused for the vocabulary and the index.
    const texts = docs.map((d) => ({
      title: tokenize(d.title),
      keywords: tokenize(d.keywords.join(' , ')),
      context: tokenize([d.lifeSituationTitles.join(' '), (d.linkTitles ?? []).join(' '), d.documents.join(' '), d.department ?? '', d.legalBasis ?? '', d.processingTime ?? ''].join(' ')),
      description: tokenize(d.description),
      fees: tokenize(d.fees ?? ''),
    }));
    for (const t of texts) {
      this.lexicon.addText(t.title);
      this.lexicon.addText(t.keywords);
      this.lexicon.addText(t.description);
    }
    // Pass 2: the index.
    docs.forEach((d, i) => {
      const t = texts[i]!;
      this.docs.set(d.id, d);
      this.titles.set(d.id, analyzeTitle(d.title, this.lexicon));
      const f = {
        title: { ...analyzeFieldForIndex(t.title, this.lexicon), extraWeight: PART_WEIGHT },
        keywords: { ...analyzeFieldForIndex(t.keywords, this.lexicon), extraWeight: PART_WEIGHT },
        context: { ...analyzeFieldForIndex(t.context, this.lexicon), extraWeight: PART_WEIGHT },
        description: { ...analyzeFieldForIndex(t.description, this.lexicon), extraWeight: PART_WEIGHT },
        fees: { ...analyzeFieldForIndex(t.fees, this.lexicon), extraWeight: PART_WEIGHT },
      };
      this.bm25.add(d.id, f, d.internal ? 0.5 : 1);
      if (keepFields) this.fieldSets.set(d.id, [f.title, f.keywords, f.context, f.description, f.fees].map((x) => new Set([...x.terms, ...(x.extra ?? [])])));
    });
    // Small catalogs get their proximity units at once (a few ms per hundred services), so the
    // first questions are as fast as later ones; large ones compute them on first use.
    if (this.proximity > 0 && docs.length <= EAGER_PASSAGES_MAX) for (const d of docs) this.passageUnits(d.id);
    this.buildMs = performance.now() - t0;
  }

  private readonly passages = new Map<string, Set<string>[]>();
  /**
   * The service's text in short units – title, each keyword, each document item, each
   * sentence of the description – as sets of index terms; computed on first use, cached.
   */
  passageUnits(id: string): Set<string>[] {
    const hit = this.passages.get(id);
    if (hit) return hit;
    const d = this.docs.get(id);
    if (!d) return [];
    const texts = [d.title, ...d.keywords, ...d.documents, ...d.description.split(/(?<=[.!?:;])\s+|\n+|<\/?(?:p|li|br|ul|ol|h\d)[^>]*>/)];
    const units: Set<string>[] = [];
    for (const t of texts) {
      const a = analyzeFieldForIndex(t, this.lexicon);
      if (a.terms.length) units.push(new Set([...a.terms, ...a.extra]));
    }
    if (this.passages.size > Math.max(5000, EAGER_PASSAGES_MAX)) this.passages.clear();
    this.passages.set(id, units);
    return units;
  }

  analyzeQuery(query: string, lang?: 'de' | 'en'): AnalyzedTerm[] {
    return analyze(query, { lang, lexicon: this.lexicon, synonyms: this.synonyms, bridge: this.bridge, ...(this.thesaurus ? { thesaurus: this.thesaurus } : {}), ...(this.gazetteer ? { gazetteer: this.gazetteer } : {}) });
  }

  summary(id: string): ServiceSummary {
    const d = this.docs.get(id)!;
    return { id: d.id, title: d.title, leika: d.leika, url: d.url };
  }

  /**
   * Ranks services. Returns hits with raw score, matched terms and a confidence in 0..1:
   *
   *   coverage = top score / (Σ over query terms of weight × idf × (k1+1)/(1+k1) × 3)
   *   (the score a service would get if every query term appeared once in its title;
   *   terms unknown to the catalog count with the largest idf, so off-topic words lower it),
   *   margin   = (top − second) / top,
   *   confidence = min(1, coverage) ^ 0.6 × (0.8 + 0.2 × margin), for the k-th hit scaled by score_k / top.
   */
  search(query: string, opts: { lang?: 'de' | 'en'; limit?: number; learned?: boolean } = {}) {
    const limit = Math.max(1, Math.min(opts.limit ?? 10, 100));
    const r = this.rank(query, opts.lang, limit, opts.learned !== false && !!this.learned);
    return { terms: r.terms, hits: r.hits.slice(0, limit).map(({ id, score, matchedTerms, confidence }) => ({ id, score, matchedTerms, confidence })) };
  }

  /**
   * The hand-ranked candidates with the learned stage's feature rows (top `k`), for training
   * and evaluation of the learned ranker (learned-rank-train.ts).
   */
  candidates(query: string, lang: 'de' | 'en' | undefined, k: number) {
    return this.rank(query, lang, k, false, k).hits;
  }

  private rank(query: string, lang: 'de' | 'en' | undefined, limit: number, useLearned: boolean, featuresFor = 0) {
    const terms = this.analyzeQuery(query, lang);
    const q: QueryTerm[] = terms.map((t) => ({ term: t.term, weight: t.weight }));
    // Coordination: a service that covers more of the question's words (weighted by how
    // specific they are) beats one that matches a single word very often.
    const groupOf = new Map<string, string>();
    const groupIdf = new Map<string, number>();
    for (const t of terms) {
      if (!this.bm25.hasTerm(t.term)) continue;
      groupOf.set(t.term, t.from);
      groupIdf.set(t.from, Math.max(groupIdf.get(t.from) ?? 0, this.bm25.idf(t.term) * Math.min(1, t.weight / 0.6)));
    }
    const totalGroup = [...groupIdf.values()].reduce((a, b) => a + b, 0);
    const credit = queryCredit(terms);
    const hits = this.bm25
      .search(q, Math.max(limit, 50))
      .map((h) => {
        const covered = new Set(h.matched.map((m) => groupOf.get(m)).filter((g): g is string => !!g));
        let mass = 0;
        for (const g of covered) mass += groupIdf.get(g) ?? 0;
        const coord = totalGroup > 0 ? mass / totalGroup : 0;
        const cover = titleCover(this.titles.get(h.id) ?? [], credit);
        const base = h.score * (this.coordFloor + (1 - this.coordFloor) * coord);
        let near = 0;
        if (this.proximity > 0 && totalGroup > 0 && covered.size > 1) {
          for (const unit of this.passageUnits(h.id)) {
            let m = 0;
            const seen = new Set<string>();
            for (const t of h.matched) {
              const g = groupOf.get(t);
              if (g && !seen.has(g) && unit.has(t)) {
                seen.add(g);
                m += groupIdf.get(g) ?? 0;
              }
            }
            if (m > near) near = m;
          }
          near /= totalGroup;
        }
        return { ...h, raw: h.score, coord, cover, near, base, score: base * (1 + RERANK.TITLE_ALPHA * cover) * (1 + this.proximity * near) };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    // Learned stage (optional): feature rows for the best K, re-ordered by the linear model.
    const K = useLearned ? this.learned!.k : featuresFor;
    let rows: Float64Array[] = [];
    if (K > 0 && hits.length > 0 && totalGroup > 0) {
      const top = hits.slice(0, K);
      const kindRank: Record<string, number> = { word: 3, typo: 3, bridge: 2, synonym: 2, part: 1, related: 0 };
      const termKind = new Map<string, number>();
      for (const t of terms) termKind.set(t.term, Math.max(termKind.get(t.term) ?? 0, kindRank[t.kind] ?? 0));
      const h0 = top[0]!;
      rows = top.map((h, i) => {
        const x = new Float64Array(N_FEATURES);
        x[0] = h0.score > 0 ? h.score / h0.score : 0;
        x[1] = h0.base > 0 ? h.base / Math.max(...top.map((o) => o.base)) : 0;
        x[2] = h.raw / Math.max(...top.map((o) => o.raw));
        x[3] = h.coord;
        x[4] = h.cover;
        x[5] = h.near;
        x[6] = 1 / (i + 1);
        const sets = this.fieldSets.get(h.id);
        const best = new Map<string, number>();
        const inField = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
        for (const t of h.matched) {
          const g = groupOf.get(t);
          if (!g) continue;
          best.set(g, Math.max(best.get(g) ?? 0, termKind.get(t) ?? 0));
          if (sets) for (let f = 0; f < 5; f++) if (sets[f]!.has(t)) inField[f]!.add(g);
        }
        for (let f = 0; f < 5; f++) {
          let m = 0;
          for (const g of inField[f]!) m += groupIdf.get(g) ?? 0;
          x[7 + f] = m / totalGroup;
        }
        let rel = 0, part = 0, syn = 0;
        for (const [g, k] of best) {
          const w = (groupIdf.get(g) ?? 0) / totalGroup;
          if (k === 0) rel += w;
          else if (k === 1) part += w;
          else if (k === 2) syn += w;
        }
        x[12] = rel;
        x[13] = part;
        x[14] = syn;
        x[15] = this.docs.get(h.id)?.internal ? 1 : 0;
        x[16] = 1 / Math.max(1, this.titles.get(h.id)?.length ?? 1);
        return x;
      });
    }
    const ranked = hits.map((h, i) => ({ ...h, features: rows[i] }));
    let learnedOrder = ranked;
    if (useLearned && rows.length > 1) {
      const m = this.learned!;
      const head = ranked.slice(0, rows.length).map((h, i) => ({ h, s: scoreFeatures(m, rows[i]!), i }));
      head.sort((a, b) => b.s - a.s || a.i - b.i);
      learnedOrder = [...head.map((x) => x.h), ...ranked.slice(rows.length)];
    }
    const k1 = this.bm25.k1;
    const sat = (tf: number) => (tf * (k1 + 1)) / (tf + k1);
    const titleTf = FIELDS.title.weight;
    let mass = 0;
    // Derived terms (parts, synonyms) are optional evidence: only typed words, bridge
    // words and typo fixes count into the mass a good answer should cover.
    for (const t of terms) {
      if (t.kind === 'word' || t.kind === 'typo') {
        const known = this.bm25.hasTerm(t.term);
        // A typed word the catalog never uses and no synonym/bridge explains counts fully against us.
        // (Weak thesaurus relations do not explain a word away.)
        const explained = terms.some((o) => o !== t && o.from === t.from && o.kind !== 'related' && this.bm25.hasTerm(o.term));
        if (known) mass += t.weight * this.bm25.idf(t.term) * sat(titleTf);
        else if (!explained) mass += t.weight * this.bm25.maxIdf() * sat(titleTf) * 0.5;
      }
    }
    if (mass === 0) {
      for (const t of terms) if (this.bm25.hasTerm(t.term)) mass += t.weight * this.bm25.idf(t.term) * sat(titleTf);
    }
    const top = hits[0]?.score ?? 0;
    const second = hits[1]?.score ?? 0;
    // Coverage uses the first-stage score of the top hit, so the title re-ranking changes the
    // order but not the confidence scale.
    const coverage = mass > 0 ? Math.min(1, (hits[0]?.base ?? 0) / mass) : 0;
    const margin = top > 0 ? (top - second) / top : 0;
    const topConf = Math.pow(coverage, 0.6) * (0.8 + 0.2 * margin);
    // The confidence stays on the hand-ranked (BM25) evidence: the learned stage only re-orders.
    // Its first hit gets the top confidence, the others their hand score share (capped by it).
    const reordered = learnedOrder !== ranked;
    return {
      terms,
      hits: learnedOrder.slice(0, Math.max(limit, featuresFor)).map((h, i) => ({
        id: h.id,
        score: h.score,
        matchedTerms: h.matched,
        features: h.features,
        confidence: top > 0 ? Math.round(topConf * (reordered && i === 0 ? 1 : Math.min(1, h.score / top)) * 1000) / 1000 : 0,
      })),
    };
  }
}
