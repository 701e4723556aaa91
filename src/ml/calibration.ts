/**
 * Probability calibration on held-out data: temperature scaling of the logits (keeps the
 * ranking, fixes over-/under-confidence) and isotonic regression (pool adjacent
 * violators) for a monotone map from a raw confidence to an observed accuracy.
 */
import { softmax } from './logistic.ts';

/** Mean negative log-likelihood of the true classes at temperature `t`. */
export function nllAt(logitRows: ArrayLike<number>[], ys: number[], t: number): number {
  let s = 0;
  for (let i = 0; i < logitRows.length; i++) s -= Math.log(Math.max(softmax(logitRows[i]!, t)[ys[i]!]!, 1e-12));
  return s / Math.max(1, logitRows.length);
}

/**
 * Fits the temperature (0.05 … 20) that minimises held-out NLL (golden-section search on log t).
 * @example fitTemperature(heldOutLogits, heldOutLabels) // e.g. 1.7 for an over-confident model
 */
export function fitTemperature(logitRows: ArrayLike<number>[], ys: number[]): number {
  if (logitRows.length === 0) return 1;
  let a = Math.log(0.05);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = nllAt(logitRows, ys, Math.exp(c));
  let fd = nllAt(logitRows, ys, Math.exp(d));
  for (let it = 0; it < 40; it++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = nllAt(logitRows, ys, Math.exp(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = nllAt(logitRows, ys, Math.exp(d));
    }
  }
  return Math.exp((a + b) / 2);
}

/** A monotone step function fitted by isotonic regression. */
export interface IsotonicMap {
  /** Ascending upper bounds of the input blocks. */
  x: number[];
  /** Non-decreasing fitted values per block. */
  y: number[];
}

/** Pool-adjacent-violators: fits non-decreasing y over x (binary outcomes give accuracies). */
export function fitIsotonic(xs: number[], outcomes: number[]): IsotonicMap {
  const order = xs.map((_, i) => i).sort((i, j) => xs[i]! - xs[j]!);
  const blocks: { sum: number; n: number; hi: number }[] = [];
  for (const i of order) {
    blocks.push({ sum: outcomes[i]!, n: 1, hi: xs[i]! });
    while (blocks.length > 1) {
      const q = blocks[blocks.length - 1]!;
      const p = blocks[blocks.length - 2]!;
      if (p.sum / p.n <= q.sum / q.n) break;
      blocks.splice(blocks.length - 2, 2, { sum: p.sum + q.sum, n: p.n + q.n, hi: q.hi });
    }
  }
  return { x: blocks.map((b) => b.hi), y: blocks.map((b) => b.sum / b.n) };
}

/** Applies an isotonic map (values beyond the last block take the last value). */
export function applyIsotonic(m: IsotonicMap, x: number): number {
  if (m.x.length === 0) return x;
  let lo = 0;
  let hi = m.x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.x[mid]! >= x) hi = mid;
    else lo = mid + 1;
  }
  return m.y[lo]!;
}
