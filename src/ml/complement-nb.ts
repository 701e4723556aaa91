/**
 * Complement naive Bayes (Rennie et al. 2003) on the same sparse vectors as the logistic
 * regression, returned as a linear model (`LogisticModel` shape) so it can be blended with
 * the regression by adding weighted logits. Per class c the weights come from the feature
 * mass of all OTHER classes (more stable for small classes than their own few documents),
 * log-normalised so that classes with long documents do not dominate.
 *
 * @example
 * const nb = trainComplementNB(xs, ys, vocab.size, 9); logits(nb, x) // higher = more likely
 */
import type { SparseVector } from './features.ts';
import type { LogisticModel } from './logistic.ts';

export function trainComplementNB(xs: SparseVector[], ys: number[], dims: number, classes: number, alpha = 0.3): LogisticModel {
  const K = classes;
  const perClass = new Float64Array(dims * K);
  const total = new Float64Array(dims);
  for (let n = 0; n < xs.length; n++) {
    const x = xs[n]!;
    const y = ys[n]!;
    for (let i = 0; i < x.idx.length; i++) {
      const j = x.idx[i]!;
      perClass[j * K + y]! += x.val[i]!;
      total[j]! += x.val[i]!;
    }
  }
  let grand = 0;
  for (let j = 0; j < dims; j++) grand += total[j]!;
  const classMass = new Float64Array(K);
  for (let j = 0; j < dims; j++) for (let k = 0; k < K; k++) classMass[k]! += perClass[j * K + k]!;
  const W = new Float32Array(dims * K);
  for (let k = 0; k < K; k++) {
    const denom = grand - classMass[k]! + alpha * dims;
    let absSum = 0;
    for (let j = 0; j < dims; j++) {
      const w = Math.log((total[j]! - perClass[j * K + k]! + alpha) / denom);
      W[j * K + k] = w;
      absSum += Math.abs(w);
    }
    // Weight normalisation, scaled to mean |w| = 1 so the logits are O(1).
    const scale = absSum / Math.max(1, dims);
    // Complement evidence counts AGAINST the class: negate so higher = more likely.
    for (let j = 0; j < dims; j++) W[j * K + k] = -W[j * K + k]! / scale;
  }
  return { dims, classes: K, weights: W, bias: new Float32Array(K) };
}

/** a·A + b·B for two linear models over the same features (blending logits). */
export function blendLinear(A: LogisticModel, a: number, B: LogisticModel, b: number): LogisticModel {
  const weights = new Float32Array(A.weights.length);
  for (let i = 0; i < weights.length; i++) weights[i] = a * A.weights[i]! + b * B.weights[i]!;
  const bias = new Float32Array(A.bias.length);
  for (let k = 0; k < bias.length; k++) bias[k] = a * A.bias[k]! + b * B.bias[k]!;
  return { dims: A.dims, classes: A.classes, weights, bias };
}
