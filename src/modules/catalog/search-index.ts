import { Bm25fIndex, type QueryTerm } from '../../ml/bm25.ts';
import { analyze, analyzeFieldForIndex, builtinGazetteer, builtinBridge, compileSynonyms, ENGLISH_BRIDGE, GERMAN_SYNONYMS, Lexicon, WORD_FAMILIES, tokenize, builtinThesaurus, type Thesaurus, type AnalyzedTerm, type SynonymIndex, type SynonymList } from '../../text/index.ts';
import type { ServiceSummary } from './types.ts';
import { analyzeTitle, queryCredit, RERANK, titleCover, type TitleWord } from './rerank.ts';

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
  readonly builtAt = Date.now();
  buildMs = 0;

  constructor(
    docs: IndexDoc[],
    townSynonyms: SynonymList,
    readonly version: number,
    /** Switches for comparisons (bench): thesaurus expansion, gazetteer, proximity bonus – all on by default. */
    opts: { thesaurus?: boolean; gazetteer?: boolean; proximity?: boolean } = {},
  ) {
    const t0 = performance.now();
    this.thesaurus = opts.thesaurus === false ? undefined : builtinThesaurus();
    this.proximity = opts.proximity === false ? 0 : PASSAGE_BETA;
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
      this.bm25.add(
        d.id,
        {
          title: { ...analyzeFieldForIndex(t.title, this.lexicon), extraWeight: PART_WEIGHT },
          keywords: { ...analyzeFieldForIndex(t.keywords, this.lexicon), extraWeight: PART_WEIGHT },
          context: { ...analyzeFieldForIndex(t.context, this.lexicon), extraWeight: PART_WEIGHT },
          description: { ...analyzeFieldForIndex(t.description, this.lexicon), extraWeight: PART_WEIGHT },
          fees: { ...analyzeFieldForIndex(t.fees, this.lexicon), extraWeight: PART_WEIGHT },
        },
        d.internal ? 0.5 : 1,
      );
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
  search(query: string, opts: { lang?: 'de' | 'en'; limit?: number } = {}) {
    const terms = this.analyzeQuery(query, opts.lang);
    const q: QueryTerm[] = terms.map((t) => ({ term: t.term, weight: t.weight }));
    const limit = Math.max(1, Math.min(opts.limit ?? 10, 100));
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
        const base = h.score * (COORD_FLOOR + (1 - COORD_FLOOR) * coord);
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
        return { ...h, base, score: base * (1 + RERANK.TITLE_ALPHA * cover) * (1 + this.proximity * near) };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
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
    return {
      terms,
      hits: hits.slice(0, limit).map((h) => ({
        id: h.id,
        score: h.score,
        matchedTerms: h.matched,
        confidence: top > 0 ? Math.round(topConf * (h.score / top) * 1000) / 1000 : 0,
      })),
    };
  }
}
