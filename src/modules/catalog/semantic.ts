/**
 * Latent semantic smoothing learned from the catalog texts only (classical LSA, our own code, no
 * model, no download): the service × term matrix A (tf-idf, rows unit length) is reduced to its
 * `k` strongest dimensions by subspace iteration on the service Gram matrix G = A·Aᵀ. A question
 * is folded in through its overlap with every service (s = A·q) and compared with each service in
 * the latent space, so services that share the question's TOPIC (the words that go together in
 * the catalog) score high even where they lack a word.
 *
 *   G ≈ V Λ Vᵀ (top k),  z = Vᵀ s,  cos(q, d) = (z · V_d) / (‖Λ^{-1/2} z‖ · ‖Λ^{1/2} V_d‖)
 *
 * Only for catalogs up to MAX_DOCS services (the Gram matrix is n²); larger ones skip it.
 */
export const SEMANTIC_VERSION = 'lsa-1';

export interface SemanticOptions {
  /** Latent dimensions. */
  k: number;
  /** Subspace iterations. */
  iterations: number;
}
export const SEMANTIC_DEFAULTS: SemanticOptions = { k: 60, iterations: 25 };
export const MAX_DOCS = 3000;

export class LatentSpace {
  /** term → [doc, weight] pairs of the normalised tf-idf matrix. */
  private readonly postings = new Map<string, { docs: number[]; w: number[] }>();
  private readonly index = new Map<string, number>();
  private readonly n: number;
  private k = 0;
  /** V: n × k (row-major), eigenvalues λ (k). */
  private V: Float64Array = new Float64Array(0);
  private lambda = new Float64Array(0);
  private docNorm = new Float64Array(0);

  /** `docs`: id and term frequencies per service; `idf` of a term. */
  constructor(docs: { id: string; tf: Map<string, number> }[], idf: (t: string) => number, opts: SemanticOptions = SEMANTIC_DEFAULTS) {
    this.n = docs.length;
    docs.forEach((d, i) => this.index.set(d.id, i));
    const rows: Map<string, number>[] = docs.map((d) => {
      const r = new Map<string, number>();
      let norm = 0;
      for (const [t, f] of d.tf) {
        const w = (1 + Math.log(f)) * idf(t);
        if (w <= 0) continue;
        r.set(t, w);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (const [t, w] of r) r.set(t, w / norm);
      return r;
    });
    rows.forEach((r, i) => {
      for (const [t, w] of r) {
        let p = this.postings.get(t);
        if (!p) this.postings.set(t, (p = { docs: [], w: [] }));
        p.docs.push(i);
        p.w.push(w);
      }
    });
    if (this.n < 3 || this.n > MAX_DOCS) return;
    // Gram matrix G = A Aᵀ (n × n), from the postings.
    const n = this.n;
    const G = new Float64Array(n * n);
    for (const p of this.postings.values()) {
      const m = p.docs.length;
      for (let a = 0; a < m; a++) {
        const da = p.docs[a]! * n;
        const wa = p.w[a]!;
        for (let b = 0; b < m; b++) G[da + p.docs[b]!]! += wa * p.w[b]!;
      }
    }
    const k = Math.min(opts.k, n - 1);
    // Subspace iteration with a deterministic start.
    let Q: Float64Array = new Float64Array(n * k);
    let seed = 12345;
    for (let i = 0; i < Q.length; i++) Q[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
    orthonormalise(Q, n, k);
    for (let it = 0; it < opts.iterations; it++) {
      Q = mulGQ(G, Q, n, k);
      orthonormalise(Q, n, k);
    }
    // Rayleigh quotients as eigenvalues (columns are near-eigenvectors after the iteration).
    const GQ = mulGQ(G, Q, n, k);
    const lambda = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[i * k + j]! * GQ[i * k + j]!;
      lambda[j] = Math.max(s, 1e-9);
    }
    this.k = k;
    this.V = Q;
    this.lambda = lambda;
    this.docNorm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += lambda[j]! * Q[i * k + j]! ** 2;
      this.docNorm[i] = Math.sqrt(s) || 1;
    }
  }

  get ready(): boolean {
    return this.k > 0;
  }

  /** Latent cosine of a weighted query with the given services (ids unknown → 0). */
  similarity(query: { term: string; weight: number }[], idf: (t: string) => number, ids: string[]): Map<string, number> {
    const out = new Map<string, number>();
    if (!this.ready) return out;
    const s = new Map<number, number>();
    for (const q of query) {
      const p = this.postings.get(q.term);
      if (!p) continue;
      const qw = q.weight * idf(q.term);
      for (let i = 0; i < p.docs.length; i++) s.set(p.docs[i]!, (s.get(p.docs[i]!) ?? 0) + qw * p.w[i]!);
    }
    const k = this.k;
    const z = new Float64Array(k);
    for (const [d, v] of s) for (let j = 0; j < k; j++) z[j]! += this.V[d * k + j]! * v;
    let qn = 0;
    for (let j = 0; j < k; j++) qn += z[j]! ** 2 / this.lambda[j]!;
    qn = Math.sqrt(qn);
    if (qn === 0) return out;
    for (const id of ids) {
      const d = this.index.get(id);
      if (d === undefined) continue;
      let dot = 0;
      for (let j = 0; j < k; j++) dot += z[j]! * this.V[d * k + j]!;
      out.set(id, dot / (qn * this.docNorm[d]!));
    }
    return out;
  }
}

function mulGQ(G: Float64Array, Q: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const oi = i * k;
    for (let l = 0; l < n; l++) {
      const g = G[i * n + l]!;
      if (g === 0) continue;
      const ql = l * k;
      for (let j = 0; j < k; j++) out[oi + j]! += g * Q[ql + j]!;
    }
  }
  return out;
}

/** Modified Gram–Schmidt on the k columns of an n × k row-major matrix. */
function orthonormalise(Q: Float64Array, n: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += Q[i * k + j]! * Q[i * k + p]!;
      for (let i = 0; i < n; i++) Q[i * k + j]! -= dot * Q[i * k + p]!;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Q[i * k + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) Q[i * k + j]! /= norm;
  }
}
