/**
 * Multinomial logistic regression on sparse vectors, trained with AdaGrad SGD and L2
 * regularisation. Small, deterministic (seeded shuffling), dependency-free.
 */
import type { SparseVector } from './features.ts';

export interface LogisticOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty per update (applied lazily to the touched weights). */
  l2: number;
  /** Class weight = (N / (K · n_c))^balance; 0 = unweighted, 1 = fully balanced. */
  balance: number;
  seed: number;
  /**
   * Recency emphasis for time-ordered inputs: sample i of n gets weight 1 + recency · i/(n-1)
   * (topics drift; newer examples say more about tomorrow's messages). 0 = all equal.
   */
  recency: number;
}

export const DEFAULT_LOGISTIC: LogisticOptions = { epochs: 8, learningRate: 0.3, l2: 1e-4, balance: 0.5, seed: 1, recency: 0 };

export interface LogisticModel {
  dims: number;
  classes: number;
  /** Row-major weights: W[j * classes + k]. */
  weights: Float32Array;
  bias: Float32Array;
}

/** Small seeded PRNG (mulberry32) so training is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Raw scores (logits) of one vector. */
export function logits(m: LogisticModel, x: SparseVector, out = new Float64Array(m.classes)): Float64Array {
  const K = m.classes;
  for (let k = 0; k < K; k++) out[k] = m.bias[k]!;
  for (let i = 0; i < x.idx.length; i++) {
    const base = x.idx[i]! * K;
    const v = x.val[i]!;
    for (let k = 0; k < K; k++) out[k]! += m.weights[base + k]! * v;
  }
  return out;
}

/** Softmax with temperature (in place safe: returns a new array). */
export function softmax(z: ArrayLike<number>, temperature = 1): Float64Array {
  const p = new Float64Array(z.length);
  let mx = -Infinity;
  for (let k = 0; k < z.length; k++) mx = Math.max(mx, z[k]! / temperature);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    p[k] = Math.exp(z[k]! / temperature - mx);
    sum += p[k]!;
  }
  for (let k = 0; k < z.length; k++) p[k]! /= sum;
  return p;
}

/** Trains on vectors `xs` with class indices `ys` (0 … classes-1). */
export function trainLogistic(xs: SparseVector[], ys: number[], dims: number, classes: number, opts: Partial<LogisticOptions> = {}): LogisticModel {
  const o = { ...DEFAULT_LOGISTIC, ...opts };
  const K = classes;
  const W = new Float32Array(dims * K);
  const G = new Float32Array(dims * K);
  const b = new Float32Array(K);
  const Gb = new Float32Array(K);
  const counts = new Array<number>(K).fill(0);
  for (const y of ys) counts[y]!++;
  const cw = counts.map((n) => (n ? Math.pow(ys.length / (K * n), o.balance) : 0));
  const order = xs.map((_, i) => i);
  const rnd = seededRandom(o.seed);
  const m: LogisticModel = { dims, classes: K, weights: W, bias: b };
  const z = new Float64Array(K);
  const eps = 1e-8;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const n of order) {
      const x = xs[n]!;
      const y = ys[n]!;
      logits(m, x, z);
      const p = softmax(z);
      const w = cw[y]! * (1 + (o.recency * n) / Math.max(1, xs.length - 1));
      for (let k = 0; k < K; k++) {
        const g = w * (p[k]! - (k === y ? 1 : 0));
        Gb[k]! += g * g;
        b[k]! -= (o.learningRate * g) / Math.sqrt(Gb[k]! + eps);
      }
      for (let i = 0; i < x.idx.length; i++) {
        const base = x.idx[i]! * K;
        const v = x.val[i]!;
        for (let k = 0; k < K; k++) {
          const wi = base + k;
          const g = w * (p[k]! - (k === y ? 1 : 0)) * v + o.l2 * W[wi]!;
          G[wi]! += g * g;
          W[wi]! -= (o.learningRate * g) / Math.sqrt(G[wi]! + eps);
        }
      }
    }
  }
  return m;
}
