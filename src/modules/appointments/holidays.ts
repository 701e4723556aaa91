import Holidays from 'date-holidays';

const cache = new Map<string, Map<number, Map<string, string>>>();

/**
 * Public holidays (type "public") of a region for a year, keyed by YYYY-MM-DD → name.
 * Niedersachsen = DE/NI. Cached per region and year.
 */
export function publicHolidays(country: string, state: string, year: number): Map<string, string> {
  const key = `${country}/${state}`;
  let byYear = cache.get(key);
  if (!byYear) cache.set(key, (byYear = new Map()));
  let m = byYear.get(year);
  if (!m) {
    const hd = new Holidays(country, state);
    m = new Map();
    for (const h of hd.getHolidays(year) || []) if (h.type === 'public') m.set(h.date.slice(0, 10), h.name);
    byYear.set(year, m);
  }
  return m;
}

/** Name of the public holiday on a local date, or null. */
export function holidayName(country: string, state: string, date: string): string | null {
  return publicHolidays(country, state, Number(date.slice(0, 4))).get(date) ?? null;
}
