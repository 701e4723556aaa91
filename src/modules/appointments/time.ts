/**
 * Wall-clock ⇄ UTC conversion for one IANA time zone without a date library.
 * Times are stored as UTC instants; opening hours are local wall-clock times.
 */

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function intlOffset(instant: Date, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

// Intl is slow (µs per call) and slot lists format thousands of times: offsets only change on
// quarter-hour boundaries in every real zone, so cache them per 15-minute bucket.
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of the zone from UTC at the instant, in minutes (Berlin: 60 in winter, 120 in summer). */
export function offsetMinutes(instant: Date, tz: string): number {
  const bucket = Math.floor(instant.getTime() / 900_000);
  let m = offsetCache.get(tz);
  if (!m) offsetCache.set(tz, (m = new Map()));
  let o = m.get(bucket);
  if (o === undefined) {
    o = intlOffset(instant, tz);
    if (m.size > 100_000) m.clear();
    m.set(bucket, o);
  }
  return o;
}

function wallParts(instant: Date, tz: string): WallParts {
  const d = new Date(instant.getTime() + offsetMinutes(instant, tz) * 60_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/**
 * The UTC instant of a local date and time. A time inside the spring-forward gap is moved
 * forward by the gap (02:30 → 03:30); an ambiguous autumn time takes the earlier instant.
 * @example zonedToUtc('2026-03-30', '08:00', 'Europe/Berlin').toISOString() === '2026-03-30T06:00:00.000Z'
 */
export function zonedToUtc(date: string, hhmm: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const o1 = offsetMinutes(new Date(guess - 12 * 3600_000), tz);
  const o2 = offsetMinutes(new Date(guess + 12 * 3600_000), tz);
  // Try the earlier offset first (the larger one in Europe) so ambiguous times pick the first instant.
  for (const o of o1 >= o2 ? [o1, o2] : [o2, o1]) {
    const t = new Date(guess - o * 60000);
    if (offsetMinutes(t, tz) === o) return t;
  }
  // In the gap: neither offset reproduces the wall time; use the pre-transition offset.
  return new Date(guess - Math.min(o1, o2) * 60000);
}

const pad = (n: number, l = 2) => String(n).padStart(l, '0');

/** Local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date, tz: string): string {
  const w = wallParts(instant, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Local wall-clock time (HH:MM) of an instant. */
export function localTime(instant: Date, tz: string): string {
  const w = wallParts(instant, tz);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** ISO-8601 with the zone's offset, e.g. 2026-03-30T08:00:00+02:00. */
export function isoWithOffset(instant: Date, tz: string): string {
  const w = wallParts(instant, tz);
  const off = offsetMinutes(instant, tz);
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** Adds days to a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole days from a to b (b − a) for YYYY-MM-DD dates. */
export function daysBetween(a: string, b: string): number {
  const pa = a.split('-').map(Number) as [number, number, number];
  const pb = b.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(pb[0], pb[1] - 1, pb[2]) - Date.UTC(pa[0], pa[1] - 1, pa[2])) / 86400_000);
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Weekday key of a YYYY-MM-DD date. */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

export const isIsoDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;

/** Monday of the week of a date. */
export function mondayOf(date: string): string {
  const wd = WEEKDAYS.indexOf(weekdayOf(date));
  return addDays(date, -((wd + 6) % 7));
}
