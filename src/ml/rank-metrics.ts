/**
 * Ranking metrics for retrieval evaluation.
 * @example meanReciprocalRank([{ ranked: ['a', 'b'], relevant: ['b'] }]) === 0.5
 */
export interface RankCase {
  /** Ids as returned, best first. */
  ranked: string[];
  /** Ids that count as correct (any of them). */
  relevant: string[];
}

/** 1-based rank of the first relevant id, or null. */
export function firstRelevantRank(c: RankCase): number | null {
  const i = c.ranked.findIndex((id) => c.relevant.includes(id));
  return i < 0 ? null : i + 1;
}

export function meanReciprocalRank(cases: RankCase[]): number {
  if (cases.length === 0) return 0;
  return cases.reduce((a, c) => a + (1 / (firstRelevantRank(c) ?? Infinity) || 0), 0) / cases.length;
}

/** Share of cases with a relevant id among the first k. */
export function hitRateAt(cases: RankCase[], k: number): number {
  if (cases.length === 0) return 0;
  return cases.filter((c) => (firstRelevantRank(c) ?? Infinity) <= k).length / cases.length;
}

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
