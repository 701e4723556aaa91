/**
 * Per-category confidence thresholds chosen on held-out data so that automatically routed
 * items reach a target precision; below its threshold the classifier abstains.
 */

export interface HeldOutItem {
  predicted: string;
  confidence: number;
  correct: boolean;
}

export interface ThresholdChoice {
  /** Category → minimal confidence for automatic routing (> 1 = never). */
  thresholds: Record<string, number>;
  /** Pooled threshold, used for categories with too few held-out predictions. */
  global: number;
  /** On the held-out data: share routed and precision among routed. */
  expectedCoverage: number;
  expectedPrecision: number | null;
}

/** Value stored for "never route automatically". */
export const NEVER = 1.01;

/**
 * Lowest threshold whose routed set (confidence ≥ threshold, ties together) has precision ≥ target;
 * `NEVER` if no such set exists.
 */
export function thresholdForPrecision(items: { confidence: number; correct: boolean }[], target: number, z = 0): number {
  const s = [...items].sort((a, b) => b.confidence - a.confidence);
  let best = NEVER;
  let k = 0;
  let ok = 0;
  while (k < s.length) {
    const c = s[k]!.confidence;
    while (k < s.length && s[k]!.confidence === c) {
      if (s[k]!.correct) ok++;
      k++;
    }
    // With z > 0 the precision must hold for the lower confidence bound (normal approximation,
    // evaluated at the target): small routed sets need a visible margin above the target.
    if (ok / k - z * Math.sqrt((target * (1 - target)) / k) >= target) best = c;
  }
  return best;
}

/**
 * Chooses one threshold per category (≥ `minSupport` held-out predictions of it) and a pooled
 * one for the rest. `categories` lists every category the model can predict.
 */
export function chooseThresholds(items: HeldOutItem[], categories: string[], target = 0.95, minSupport = 10, z = 0): ThresholdChoice {
  const global = thresholdForPrecision(items, target, z);
  const thresholds: Record<string, number> = {};
  for (const c of categories) {
    const mine = items.filter((i) => i.predicted === c);
    thresholds[c] = mine.length >= minSupport ? thresholdForPrecision(mine, target, z) : global;
  }
  const routed = items.filter((i) => i.confidence >= (thresholds[i.predicted] ?? global));
  return {
    thresholds,
    global,
    expectedCoverage: items.length ? routed.length / items.length : 0,
    expectedPrecision: routed.length ? routed.filter((i) => i.correct).length / routed.length : null,
  };
}
