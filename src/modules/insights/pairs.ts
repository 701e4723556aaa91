/** Pure helpers: pair generation, month buckets, Berlin calendar days, the k-threshold. */

/** Smallest count a pair needs (summed over the window) before anyone sees it. */
export const MIN_COUNT = 5;
/** Months the suggestions and the staff table look back (including the current month). */
export const WINDOW_MONTHS = 12;
/** At most this many services of one booking/conversation are paired (bounds the pairs to 28). */
export const MAX_SERVICES_PER_SIGNAL = 8;
const ID_RE = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * All unordered pairs of distinct, well-formed service ids, each as [a, b] with a < b (code-unit order).
 * Duplicates and malformed ids are dropped; more than MAX_SERVICES_PER_SIGNAL ids → only the first ones.
 */
export function servicePairs(serviceIds: readonly string[]): [string, string][] {
  const ids = [...new Set(serviceIds.filter((s) => typeof s === 'string' && ID_RE.test(s)))].slice(0, MAX_SERVICES_PER_SIGNAL).sort();
  const out: [string, string][] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push([ids[i]!, ids[j]!]);
  return out;
}

/** Keeps only entries whose count reaches the threshold (never lower than MIN_COUNT). */
export function applyThreshold<T extends { count: number }>(rows: readonly T[], minCount = MIN_COUNT): T[] {
  const k = Math.max(MIN_COUNT, Math.floor(minCount));
  return rows.filter((r) => r.count >= k);
}

const berlinDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Calendar day of an instant in Europe/Berlin, "YYYY-MM-DD". */
export const berlinDate = (d: Date): string => berlinDay.format(d);

/** First day of the (Berlin) month of an instant, "YYYY-MM-01". */
export const monthOf = (d: Date): string => `${berlinDate(d).slice(0, 7)}-01`;

/** First day of the month `n` months before the month of `d` ("YYYY-MM-01"). */
export function monthsBack(d: Date, n: number): string {
  const [y, m] = berlinDate(d).split('-').map(Number) as [number, number];
  const t = new Date(Date.UTC(y, m - 1 - n, 1));
  return `${t.getUTCFullYear()}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/** The day before a "YYYY-MM-DD" day, plus `-n` offsets. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
