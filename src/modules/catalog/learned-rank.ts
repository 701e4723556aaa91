/**
 * Optional third ranking stage: a linear model over features of (query, candidate) that
 * re-orders the best hand-ranked candidates. The weights are learned WITHOUT any real
 * questions, from pseudo-queries built from the catalog itself (keywords, first sentences,
 * document items, each searched in an index that leaves that field out – see
 * learned-rank-train.ts and docs/modules/catalog.md, "Retrieval, Runde 4").
 *
 * Training is pairwise logistic regression (RankNet with a linear scorer): for each
 * pseudo-query whose answer is among the top K, every pair (answer, other candidate) gives
 * the difference of their feature vectors with label 1 (and the negated one with label 0).
 * Full-batch gradient descent, fixed iterations, no randomness → deterministic.
 */

export const LEARNED_FEATURES = [
  'hand_ratio', // hand-ranked score / top hand score
  'base_ratio', // first-stage (BM25F × coordination) / top
  'bm25_ratio', // plain BM25F / top
  'coord', // share of the query's IDF mass the service covers
  'title_cover', // share of the title the query names
  'near', // proximity (best unit's IDF share)
  'inv_rank', // 1 / hand rank
  'f_title', // IDF share of query word groups present in each field
  'f_keywords',
  'f_context',
  'f_description',
  'f_fees',
  'only_related', // IDF share of groups matched only through thesaurus/gazetteer terms
  'only_part', // … only through compound parts
  'only_synonym', // … only through synonyms/bridge words
  'internal',
  'short_title', // 1 / number of title words
] as const;
export const N_FEATURES = LEARNED_FEATURES.length;

export interface LearnedModel {
  version: string;
  /** Catalog and pseudo-query sets the weights were trained on (for the record). */
  trainedOn: string;
  /** Candidates re-ranked (top K of the hand ranking). */
  k: number;
  weights: number[];
}

export function scoreFeatures(m: LearnedModel, x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < N_FEATURES; i++) s += (m.weights[i] ?? 0) * x[i]!;
  return s;
}

/** One training query: feature rows of its top-K candidates and the index of the answer among them. */
export interface RankGroup {
  rows: Float64Array[];
  positive: number;
}

/**
 * Listwise alternative (ListNet top-1 / softmax cross-entropy over the K candidates of a query).
 * Same deterministic full-batch gradient descent.
 */
export function trainListwise(groups: RankGroup[], opts: { iterations?: number; learningRate?: number; l2?: number } = {}): number[] {
  const iters = opts.iterations ?? 400;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-3;
  const use = groups.filter((g) => g.rows.length > 1);
  const w = new Float64Array(N_FEATURES);
  const grad = new Float64Array(N_FEATURES);
  for (let it = 0; it < iters; it++) {
    grad.fill(0);
    for (const g of use) {
      const z = g.rows.map((r) => {
        let s = 0;
        for (let i = 0; i < N_FEATURES; i++) s += w[i]! * r[i]!;
        return s;
      });
      const mx = Math.max(...z);
      const e = z.map((v) => Math.exp(v - mx));
      const sum = e.reduce((a, b) => a + b, 0);
      g.rows.forEach((r, j) => {
        const c = e[j]! / sum - (j === g.positive ? 1 : 0);
        for (let i = 0; i < N_FEATURES; i++) grad[i]! += c * r[i]!;
      });
    }
    for (let i = 0; i < N_FEATURES; i++) w[i]! -= lr * (grad[i]! / (use.length || 1) + l2 * w[i]!);
  }
  return [...w].map((x) => Math.round(x * 10000) / 10000);
}

/**
 * Pairwise logistic regression. Each group contributes its pairs with total weight 1
 * (so long candidate lists do not dominate). L2 penalty `l2` on the weights.
 */
export function trainPairwise(groups: RankGroup[], opts: { iterations?: number; learningRate?: number; l2?: number; window?: number } = {}): number[] {
  const iters = opts.iterations ?? 400;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-3;
  const diffs: { d: Float64Array; w: number }[] = [];
  for (const g of groups) {
    const pos = g.rows[g.positive]!;
    // Only pairs near the head matter for MRR: candidates above the answer and `window` below it.
    const win = opts.window ?? Infinity;
    const others = g.rows.filter((_, i) => i !== g.positive && i <= Math.max(g.positive, 0) + win);
    if (!others.length) continue;
    for (const o of others) {
      const d = new Float64Array(N_FEATURES);
      for (let i = 0; i < N_FEATURES; i++) d[i] = pos[i]! - o[i]!;
      diffs.push({ d, w: 1 / others.length });
    }
  }
  const w = new Float64Array(N_FEATURES);
  const totalW = diffs.reduce((a, x) => a + x.w, 0) || 1;
  const grad = new Float64Array(N_FEATURES);
  for (let it = 0; it < iters; it++) {
    grad.fill(0);
    for (const { d, w: sw } of diffs) {
      let z = 0;
      for (let i = 0; i < N_FEATURES; i++) z += w[i]! * d[i]!;
      // label 1: d(-log σ(z))/dz = σ(z) − 1 (the mirrored pair with label 0 gives the same gradient)
      const g = (1 / (1 + Math.exp(-z)) - 1) * sw;
      for (let i = 0; i < N_FEATURES; i++) grad[i]! += g * d[i]!;
    }
    for (let i = 0; i < N_FEATURES; i++) w[i]! -= lr * (grad[i]! / totalW + l2 * w[i]!);
  }
  return [...w].map((x) => Math.round(x * 10000) / 10000);
}
