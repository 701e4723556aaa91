/**
 * Logit adjustment: per-class offsets added to the logits before the argmax, tuned on
 * held-out data to maximise macro-F1. Small classes are under-predicted by a model trained
 * on imbalanced data; a positive offset lets them win close calls.
 *
 * Coordinate ascent over a coarse grid; a change is kept only if it improves macro-F1 by at
 * least `minGain` (guards against fitting noise in a small held-out set).
 *
 * @example
 * const offsets = fitLogitOffsets(heldOutLogits, heldOutLabels, 9); // Float64Array(9)
 */

/** Macro-F1 over `classes` of argmax(logits + offsets). Classes without gold or predictions are skipped. */
export function macroF1WithOffsets(logitRows: ArrayLike<number>[], ys: number[], classes: number, offsets: ArrayLike<number>): number {
  const tp = new Array<number>(classes).fill(0);
  const fp = new Array<number>(classes).fill(0);
  const fn = new Array<number>(classes).fill(0);
  for (let i = 0; i < logitRows.length; i++) {
    const z = logitRows[i]!;
    let best = 0;
    let bv = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = z[k]! + offsets[k]!;
      if (v > bv) {
        bv = v;
        best = k;
      }
    }
    const y = ys[i]!;
    if (best === y) tp[y]!++;
    else {
      fp[best]!++;
      fn[y]!++;
    }
  }
  let sum = 0;
  let n = 0;
  for (let k = 0; k < classes; k++) {
    if (tp[k]! + fp[k]! + fn[k]! === 0) continue;
    sum += (2 * tp[k]!) / (2 * tp[k]! + fp[k]! + fn[k]!);
    n++;
  }
  return n ? sum / n : 0;
}

export interface LogitAdjustOptions {
  /** Candidate offsets per class. */
  grid: number[];
  passes: number;
  /** Minimal macro-F1 gain for a change to be kept. */
  minGain: number;
}

export const DEFAULT_LOGIT_ADJUST: LogitAdjustOptions = {
  grid: [-1, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3],
  passes: 3,
  minGain: 0.002,
};

/** Fits per-class logit offsets that maximise held-out macro-F1 (all zero if nothing helps). */
export function fitLogitOffsets(logitRows: ArrayLike<number>[], ys: number[], classes: number, options: Partial<LogitAdjustOptions> = {}): Float64Array {
  const o = { ...DEFAULT_LOGIT_ADJUST, ...options };
  const off = new Float64Array(classes);
  if (logitRows.length === 0) return off;
  let best = macroF1WithOffsets(logitRows, ys, classes, off);
  for (let pass = 0; pass < o.passes; pass++) {
    let changed = false;
    for (let k = 0; k < classes; k++) {
      const keep = off[k]!;
      let bestV = keep;
      let bestF = best;
      for (const v of o.grid) {
        if (v === keep) continue;
        off[k] = v;
        const f = macroF1WithOffsets(logitRows, ys, classes, off);
        // Ties and tiny gains keep the smaller change.
        if (f >= bestF + o.minGain || (f > bestF && Math.abs(v) < Math.abs(bestV))) {
          bestF = f;
          bestV = v;
        }
      }
      off[k] = bestV;
      if (bestV !== keep) {
        best = bestF;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return off;
}

/**
 * One-parameter logit adjustment (Menon et al. 2021): offset_k = −τ · log(prior_k), with τ
 * chosen from `taus` to maximise held-out macro-F1. One parameter overfits a small held-out
 * set far less than one offset per class. Returns τ and the offsets.
 */
export function fitPriorAdjustment(
  logitRows: ArrayLike<number>[],
  ys: number[],
  priors: ArrayLike<number>,
  taus: number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1, 1.2, 1.5],
  minGain = 0.002,
): { tau: number; offsets: Float64Array } {
  const K = priors.length;
  const at = (tau: number) => Float64Array.from({ length: K }, (_, k) => -tau * Math.log(Math.max(priors[k]!, 1e-6)));
  let bestTau = 0;
  let bestF = macroF1WithOffsets(logitRows, ys, K, at(0));
  for (const tau of taus) {
    if (tau === 0) continue;
    const f = macroF1WithOffsets(logitRows, ys, K, at(tau));
    if (f >= bestF + minGain) {
      bestF = f;
      bestTau = tau;
    }
  }
  const offsets = at(bestTau);
  // Only differences between offsets matter; centre them for readability.
  const mean = offsets.reduce((a, b) => a + b, 0) / K;
  for (let k = 0; k < K; k++) offsets[k]! -= mean;
  return { tau: bestTau, offsets };
}
