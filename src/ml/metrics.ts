/**
 * Evaluation figures for classifiers with abstention. `null` predictions are abstentions
 * and count as wrong for accuracy/F1 (like `../shared/tools/score_triage.mjs`).
 */

export interface ScoredPrediction {
  gold: string;
  /** Predicted category, null = abstained. */
  predicted: string | null;
  confidence: number;
  /** Categories by score, best first. */
  ranking?: string[];
}

export function accuracy(items: ScoredPrediction[]): number {
  if (!items.length) return 0;
  return items.filter((p) => p.predicted === p.gold).length / items.length;
}

export interface ClassFigures {
  precision: number;
  recall: number;
  f1: number;
  support: number;
  predicted: number;
}

/** Per-class precision/recall/F1 over the classes occurring in gold, and their macro mean. */
export function perClass(items: ScoredPrediction[]): { classes: Record<string, ClassFigures>; macroF1: number } {
  const golds = [...new Set(items.map((p) => p.gold))].sort();
  const classes: Record<string, ClassFigures> = {};
  let sum = 0;
  for (const c of golds) {
    const tp = items.filter((p) => p.gold === c && p.predicted === c).length;
    const pred = items.filter((p) => p.predicted === c).length;
    const sup = items.filter((p) => p.gold === c).length;
    const precision = pred ? tp / pred : 0;
    const recall = sup ? tp / sup : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    classes[c] = { precision, recall, f1, support: sup, predicted: pred };
    sum += f1;
  }
  return { classes, macroF1: golds.length ? sum / golds.length : 0 };
}

export function macroF1(items: ScoredPrediction[]): number {
  return perClass(items).macroF1;
}

/** Share of items whose gold class is among the first `k` of the ranking. */
export function topK(items: ScoredPrediction[], k: number): number {
  if (!items.length) return 0;
  return items.filter((p) => (p.ranking ?? (p.predicted ? [p.predicted] : [])).slice(0, k).includes(p.gold)).length / items.length;
}

export interface CurvePoint {
  threshold: number;
  /** Share of ALL items routed at this threshold. */
  coverage: number;
  precision: number;
}

/**
 * Precision–coverage curve: non-abstained items sorted by confidence (ties together);
 * one point per distinct confidence.
 */
export function precisionCoverageCurve(items: ScoredPrediction[]): CurvePoint[] {
  const covered = items.filter((p) => p.predicted !== null).sort((a, b) => b.confidence - a.confidence);
  const pts: CurvePoint[] = [];
  let k = 0;
  let ok = 0;
  while (k < covered.length) {
    const conf = covered[k]!.confidence;
    while (k < covered.length && covered[k]!.confidence === conf) {
      if (covered[k]!.predicted === covered[k]!.gold) ok++;
      k++;
    }
    pts.push({ threshold: conf, coverage: k / items.length, precision: ok / k });
  }
  return pts;
}

/** Largest coverage whose precision reaches `target` (0 if none). */
export function coverageAtPrecision(items: ScoredPrediction[], target = 0.95): CurvePoint {
  let best: CurvePoint = { threshold: Infinity, coverage: 0, precision: 0 };
  for (const p of precisionCoverageCurve(items)) if (p.precision >= target) best = p;
  return best;
}

/** Share of items routed automatically (not abstained) and the precision among them. */
export function routing(items: ScoredPrediction[]): { coverage: number; precision: number | null } {
  const covered = items.filter((p) => p.predicted !== null);
  return {
    coverage: items.length ? covered.length / items.length : 0,
    precision: covered.length ? covered.filter((p) => p.predicted === p.gold).length / covered.length : null,
  };
}
