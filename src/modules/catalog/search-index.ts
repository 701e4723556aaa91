import { Bm25fIndex, type QueryTerm } from '../../ml/bm25.ts';
import { analyze, analyzeFieldForIndex, separableVerbsInText, builtinGazetteer, builtinBridge, compileSynonyms, ENGLISH_BRIDGE, GERMAN_SYNONYMS, Lexicon, WORD_FAMILIES, tokenize, builtinThesaurus, builtinGlossary, builtinNounParts, stem, type Thesaurus, type AnalyzedTerm, type SynonymIndex, type SynonymList } from '../../text/index.ts';
import type { ServiceSummary } from './types.ts';
import { analyzeTitle, queryCredit, RERANK, titleCover, type TitleWord } from './rerank.ts';
import { LatentSpace, SEMANTIC_DEFAULTS } from './semantic.ts';
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

/** Adds the joined separable verbs of `text` (see `separableVerbsInText`) to an analysed field. */
function withSeparable(a: { terms: string[]; extra: string[] }, text: string, lexicon: Lexicon, mode: 'terms' | 'extra' | false) {
  if (!mode) return a;
  const joined = separableVerbsInText(text, lexicon).map((w) => stem(w));
  if (joined.length === 0) return a;
  return mode === 'terms' ? { terms: [...a.terms, ...joined], extra: a.extra } : { terms: a.terms, extra: [...a.extra, ...joined] };
}

/** Pseudo-relevance feedback (experiment): how many services vote, how many terms join, their top weight, which fields. */
export interface PrfOptions {
  docs: number;
  terms: number;
  weight: number;
  fields: (keyof typeof FIELDS)[];
}
export const PRF: PrfOptions = { docs: 3, terms: 10, weight: 0.3, fields: ['title', 'keywords', 'description'] };

export const SEARCH_VERSION = 'catalog-search-6 (bm25f-1, de-analyser-5, gazetteer-1, openthesaurus-nouns-2, ding-glossary-1, title-cover-3, proximity-1)';

/**
 * Switches for comparisons (bench, experiments). Defaults are the production ranking; the
 * experiments of retrieval round 5 (prf, sibling, semantic, nounParts) are off unless given.
 */
export interface CatalogIndexOptions {
  thesaurus?: boolean;
  gazetteer?: boolean;
  proximity?: boolean;
  /** Word families (verloren ↔ Verlust) also for the title words in the title cover (default on). */
  families?: boolean;
  /** English → German glossary for English questions (default on); a number scales its weight. */
  glossary?: boolean | number;
  /** The hand-written English bridge (default on). */
  bridge?: boolean;
  learned?: LearnedModel;
  features?: boolean;
  /** Separable verbs of description sentences joined at index time ("holen ihn ab" → abholen): as index terms (default), as weak extra terms, or off. */
  separable?: 'terms' | 'extra' | false;
  /** Factor for a separable verb joined from the question (see `AnalyzeOptions.joinedFactor`). */
  joinedFactor?: number;
  proximityWeight?: number;
  coordFloor?: number;
  /** Experiment: RM3-style pseudo-relevance feedback. */
  prf?: Partial<PrfOptions> | false;
  /** Experiment: score penalty per distinguishing title modifier the question does not support. */
  sibling?: number;
  /** Experiment: weight of the latent-semantic (LSA) re-ranking bonus; `semanticK` its dimensions. */
  semantic?: number;
  semanticK?: number;
  /** Experiment: general German nouns (wngerman extract) as compound parts. */
  nounParts?: boolean;
}

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
  /** English → German glossary for English questions (Ding extract, loaded on the first English question), unless switched off. */
  private readonly glossary: (() => SynonymIndex) | undefined;
  private readonly glossaryWeight: number;
  /** Weight of the proximity bonus (PASSAGE_BETA, or 0 when switched off). */
  private readonly proximity: number;
  private readonly sepIndex: 'terms' | 'extra' | false;
  private readonly joinedFactor: number | undefined;
  /** Share of the score kept without coordination (COORD_FLOOR unless given, for experiments). */
  private readonly coordFloor: number;
  readonly builtAt = Date.now();
  buildMs = 0;
  /** Optional learned re-ranking stage (off unless given). */
  readonly learned: LearnedModel | undefined;
  /** Experiment: weight of the latent-semantic re-ranking bonus (0 = off). */
  private readonly semanticWeight: number;
  private latent: LatentSpace | null = null;
  /** Experiment: penalty per distinguishing title modifier the question does not support (0 = off). */
  private readonly sibling: number;
  /** Per service: title stems that distinguish it from a sibling whose title has all its other words. */
  private readonly modifiers = new Map<string, string[]>();
  /** Pseudo-relevance feedback settings (null = off). */
  private readonly prf: PrfOptions | null;
  /** Per service its index terms with field-weighted frequencies (kept only for feedback). */
  private readonly termVectors = new Map<string, Map<string, number>>();
  /** Per service and field the set of index terms (kept only for the learned stage / training). */
  private readonly fieldSets = new Map<string, Set<string>[]>();

  constructor(
    docs: IndexDoc[],
    townSynonyms: SynonymList,
    readonly version: number,
    /** Switches for comparisons (bench): thesaurus expansion, gazetteer, proximity bonus – all on by default. */
    opts: CatalogIndexOptions = {},
  ) {
    const t0 = performance.now();
    this.sepIndex = opts.separable ?? 'terms';
    const sepIndex = this.sepIndex;
    this.joinedFactor = opts.joinedFactor;
    this.prf = opts.prf ? { ...PRF, ...opts.prf } : null;
    this.sibling = opts.sibling ?? 0;
    this.semanticWeight = opts.semantic ?? 0;
    const semDocs: { id: string; tf: Map<string, number> }[] = [];
    const families = opts.families !== false;
    this.learned = opts.learned;
    const keepFields = !!opts.learned || !!opts.features;
    this.thesaurus = opts.thesaurus === false ? undefined : builtinThesaurus();
    this.proximity = opts.proximity === false ? 0 : (opts.proximityWeight ?? PASSAGE_BETA);
    this.coordFloor = opts.coordFloor ?? COORD_FLOOR;
    this.synonyms = compileSynonyms(WORD_FAMILIES, GERMAN_SYNONYMS, townSynonyms);
    this.gazetteer = opts.gazetteer === false ? undefined : builtinGazetteer();
    this.glossary = opts.glossary === false ? undefined : builtinGlossary;
    this.glossaryWeight = typeof opts.glossary === 'number' ? opts.glossary : 1;
    this.bridge = opts.bridge === false ? compileSynonyms({}) : Object.keys(townSynonyms).length ? compileSynonyms(ENGLISH_BRIDGE) : builtinBridge();
    // Pass 1: the vocabulary (for decompounding and typo correction).
    // Each field is tokenised once and reused for the vocabulary and the index.
    const texts = docs.map((d) => ({
      title: tokenize(d.title),
      keywords: tokenize(d.keywords.join(' , ')),
      context: tokenize([d.lifeSituationTitles.join(' '), (d.linkTitles ?? []).join(' '), d.documents.join(' '), d.department ?? '', d.legalBasis ?? '', d.processingTime ?? ''].join(' ')),
      description: tokenize(d.description),
      fees: tokenize(d.fees ?? ''),
    }));
    if (opts.nounParts) this.lexicon.addParts(builtinNounParts());
    for (const t of texts) {
      this.lexicon.addText(t.title);
      this.lexicon.addText(t.keywords);
      this.lexicon.addText(t.description);
    }
    // Pass 2: the index.
    docs.forEach((d, i) => {
      const t = texts[i]!;
      this.docs.set(d.id, d);
      this.titles.set(d.id, analyzeTitle(d.title, this.lexicon, families));
      const f = {
        title: { ...analyzeFieldForIndex(t.title, this.lexicon), extraWeight: PART_WEIGHT },
        keywords: { ...analyzeFieldForIndex(t.keywords, this.lexicon), extraWeight: PART_WEIGHT },
        context: { ...analyzeFieldForIndex(t.context, this.lexicon), extraWeight: PART_WEIGHT },
        description: { ...withSeparable(analyzeFieldForIndex(t.description, this.lexicon), d.description, this.lexicon, sepIndex), extraWeight: PART_WEIGHT },
        fees: { ...analyzeFieldForIndex(t.fees, this.lexicon), extraWeight: PART_WEIGHT },
      };
      this.bm25.add(d.id, f, d.internal ? 0.5 : 1);
      if (this.semanticWeight > 0) {
        const tf = new Map<string, number>();
        const add = (ts: string[], w: number) => {
          for (const x of ts) tf.set(x, (tf.get(x) ?? 0) + w);
        };
        add(f.title.terms, 2);
        add(f.keywords.terms, 1);
        add(f.description.terms, 1);
        add(f.context.terms, 1);
        semDocs.push({ id: d.id, tf });
      }
      if (this.prf) {
        const v = new Map<string, number>();
        for (const [name, ft] of Object.entries(f) as [keyof typeof FIELDS, { terms: string[]; extra: string[] }][]) {
          if (!this.prf.fields.includes(name)) continue;
          for (const term of ft.terms) v.set(term, (v.get(term) ?? 0) + FIELDS[name].weight);
        }
        this.termVectors.set(d.id, v);
      }
      if (keepFields) this.fieldSets.set(d.id, [f.title, f.keywords, f.context, f.description, f.fees].map((x) => new Set([...x.terms, ...(x.extra ?? [])])));
    });
    if (this.semanticWeight > 0) this.latent = new LatentSpace(semDocs, (t) => this.bm25.idf(t), { ...SEMANTIC_DEFAULTS, ...(opts.semanticK ? { k: opts.semanticK } : {}) });
    if (this.sibling > 0) {
      const stemSets = docs.map((d) => ({ id: d.id, set: new Set((this.titles.get(d.id) ?? []).map((w) => w.stem)) }));
      for (const a of stemSets) {
        if (a.set.size < 2) continue;
        const mods: string[] = [];
        for (const w of a.set) {
          const rest = [...a.set].filter((x) => x !== w);
          if (stemSets.some((b) => b.id !== a.id && !b.set.has(w) && rest.every((x) => b.set.has(x)))) mods.push(w);
        }
        if (mods.length) this.modifiers.set(a.id, mods);
      }
    }
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
      const a = withSeparable(analyzeFieldForIndex(t, this.lexicon), t, this.lexicon, this.sepIndex);
      if (a.terms.length) units.push(new Set([...a.terms, ...a.extra]));
    }
    if (this.passages.size > Math.max(5000, EAGER_PASSAGES_MAX)) this.passages.clear();
    this.passages.set(id, units);
    return units;
  }

  /**
   * RM3-style feedback terms: the best `docs` first-pass services (weighted by score share) vote
   * for their terms (field-weighted frequency share × idf); the best `terms` not in the query join
   * it with at most `weight`.
   */
  private feedbackTerms(first: { id: string; score: number }[], q: QueryTerm[]): QueryTerm[] {
    const o = this.prf!;
    const top = first.slice(0, o.docs);
    const sum = top.reduce((a, h) => a + h.score, 0);
    if (top.length === 0 || sum <= 0) return [];
    const inQuery = new Set(q.map((t) => t.term));
    const votes = new Map<string, number>();
    for (const h of top) {
      const v = this.termVectors.get(h.id);
      if (!v) continue;
      let len = 0;
      for (const x of v.values()) len += x;
      for (const [t, x] of v) if (!inQuery.has(t) && t.length > 2) votes.set(t, (votes.get(t) ?? 0) + (h.score / sum) * (x / len) * this.bm25.idf(t));
    }
    const best = [...votes].sort((a, b) => b[1] - a[1]).slice(0, o.terms);
    const max = best[0]?.[1] ?? 0;
    return max > 0 ? best.map(([term, v]) => ({ term, weight: (o.weight * v) / max })) : [];
  }

  analyzeQuery(query: string, lang?: 'de' | 'en'): AnalyzedTerm[] {
    return analyze(query, { lang, lexicon: this.lexicon, ...(this.joinedFactor !== undefined ? { joinedFactor: this.joinedFactor } : {}), synonyms: this.synonyms, bridge: this.bridge, ...(this.thesaurus ? { thesaurus: this.thesaurus } : {}), ...(this.gazetteer ? { gazetteer: this.gazetteer } : {}), ...(this.glossary ? { glossary: this.glossary, glossaryWeight: this.glossaryWeight } : {}) });
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
    const stage = (query: QueryTerm[]) => this.bm25
      .search(query, Math.max(limit, 50))
      .map((h) => {
        const covered = new Set(h.matched.map((m) => groupOf.get(m)).filter((g): g is string => !!g));
        let mass = 0;
        for (const g of covered) mass += groupIdf.get(g) ?? 0;
        const coord = totalGroup > 0 ? mass / totalGroup : 0;
        const cover = titleCover(this.titles.get(h.id) ?? [], credit);
        let penalty = 1;
        if (this.sibling > 0) {
          const tw = this.titles.get(h.id) ?? [];
          for (const m of this.modifiers.get(h.id) ?? []) {
            const w = tw.find((x) => x.stem === m);
            const supported = (credit.get(m) ?? 0) > 0 || (w?.parts.some((p) => (credit.get(p) ?? 0) > 0) ?? false) || (w?.alts?.some((a) => (credit.get(a) ?? 0) > 0) ?? false);
            if (!supported) penalty *= 1 - this.sibling;
          }
        }
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
        return { ...h, raw: h.score, coord, cover, near, base, score: penalty * base * (1 + RERANK.TITLE_ALPHA * cover) * (1 + this.proximity * near) };
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    const semantic = (hs: ReturnType<typeof stage>) => {
      if (!this.latent?.ready || hs.length < 3) return hs;
      const sims = this.latent.similarity(q, (t) => this.bm25.idf(t), hs.map((h) => h.id));
      const vals = [...sims.values()].sort((a, b) => a - b);
      const med = vals[Math.floor(vals.length / 2)]!;
      const max = vals[vals.length - 1]!;
      if (!(max > med)) return hs;
      return hs
        .map((h) => ({ ...h, score: h.score * (1 + this.semanticWeight * Math.max(0, ((sims.get(h.id) ?? med) - med) / (max - med))) }))
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    };
    const first = this.semanticWeight > 0 ? semantic(stage(q)) : stage(q);
    // Pseudo-relevance feedback (optional): terms typical of the best few services join the query
    // weakly and the ranking runs again; confidence stays on the first pass.
    const expansion = this.prf ? this.feedbackTerms(first, q) : [];
    const hits = expansion.length ? stage([...q, ...expansion]) : first;
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
    const top = first[0]?.score ?? 0;
    const second = first[1]?.score ?? 0;
    // Coverage uses the first-stage score of the top hit, so the title re-ranking changes the
    // order but not the confidence scale.
    const coverage = mass > 0 ? Math.min(1, (first[0]?.base ?? 0) / mass) : 0;
    const margin = top > 0 ? (top - second) / top : 0;
    const topConf = Math.pow(coverage, 0.6) * (0.8 + 0.2 * margin);
    // The confidence stays on the hand-ranked (BM25) evidence: the learned stage only re-orders.
    // Its first hit gets the top confidence, the others their hand score share (capped by it).
    const reordered = learnedOrder !== ranked || hits !== first;
    const topNow = hits[0]?.score ?? 0;
    return {
      terms,
      hits: learnedOrder.slice(0, Math.max(limit, featuresFor)).map((h, i) => ({
        id: h.id,
        score: h.score,
        matchedTerms: h.matched,
        features: h.features,
        confidence: top > 0 && topNow > 0 ? Math.round(topConf * (reordered && i === 0 ? 1 : Math.min(1, h.score / topNow)) * 1000) / 1000 : 0,
      })),
    };
  }
}
