/**
 * Train/test splits that respect time: the model is always evaluated on messages newer
 * than everything it learned from (random splits overstate quality when texts repeat and
 * topics drift).
 */

/**
 * Earliest `trainShare` of the rows → train, the rest → test. Rows are ordered by
 * `time(row)` when every row has one (stable, ties keep input order), else the input order is taken
 * as time order.
 * @example const { train, test } = timeSplit(rows, 0.8, (r) => r.date);
 */
export function timeSplit<T>(rows: readonly T[], trainShare = 0.8, time?: (row: T) => string | number | null | undefined): { train: T[]; test: T[] } {
  if (trainShare <= 0 || trainShare >= 1) throw new RangeError('trainShare must be between 0 and 1');
  let ordered = [...rows];
  // Rows without a time keep the input order for all (a partial order would be ill-defined).
  if (time && rows.every((r) => time(r) != null)) {
    const keyed = ordered.map((r, i) => ({ r, i, t: time(r)! }));
    keyed.sort((a, b) => (a.t === b.t ? a.i - b.i : a.t < b.t ? -1 : 1));
    ordered = keyed.map((k) => k.r);
  }
  const cut = Math.round(ordered.length * trainShare);
  return { train: ordered.slice(0, cut), test: ordered.slice(cut) };
}
