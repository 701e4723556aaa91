import type { OpeningWindow } from './schema.ts';

/**
 * Opening hours as text for the setup form. German is the primary form
 * (`Mo–Fr 08:00–12:30` / `Di, Do 14:00–16:00`); the older English codes
 * (`tue 08:00-12:30`) are still accepted. Several lines or several windows
 * for one day make a split day.
 */

type Day = OpeningWindow['day'];
const ORDER: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const SHORT_DE: Record<Day, string> = { mon: 'Mo', tue: 'Di', wed: 'Mi', thu: 'Do', fri: 'Fr', sat: 'Sa', sun: 'So' };
const LONG_DE: Record<Day, string> = { mon: 'Montag', tue: 'Dienstag', wed: 'Mittwoch', thu: 'Donnerstag', fri: 'Freitag', sat: 'Samstag', sun: 'Sonntag' };

/** Every accepted spelling of a weekday (lower case, without a trailing dot). */
const DAY_WORDS = new Map<string, Day>();
for (const d of ORDER) {
  DAY_WORDS.set(d, d);
  DAY_WORDS.set(SHORT_DE[d].toLowerCase(), d);
  DAY_WORDS.set(LONG_DE[d].toLowerCase(), d);
}
for (const [w, d] of [
  ['sonnabend', 'sat'],
  ['monday', 'mon'],
  ['tuesday', 'tue'],
  ['wednesday', 'wed'],
  ['thursday', 'thu'],
  ['friday', 'fri'],
  ['saturday', 'sat'],
  ['sunday', 'sun'],
] as const)
  DAY_WORDS.set(w, d);

/** German name of a weekday key (`tue` → `Dienstag`). */
export const germanDayName = (d: Day): string => LONG_DE[d];

const EXAMPLE = 'erwartet z. B. „Mo–Fr 08:00–12:30“ oder „Di 14:00–16:00“';
const DASH = String.raw`\s*(?:-|–|—|bis)\s*`;
const TIME = String.raw`(\d{1,2})(?:[:.](\d{2}))?`;
const WINDOW_RE = new RegExp(String.raw`^${TIME}(?:\s*Uhr)?${DASH}${TIME}(?:\s*Uhr)?$`, 'i');

function parseDaySpec(spec: string): { days: Day[] } | { error: string } {
  const days: Day[] = [];
  const parts = spec
    .replace(/:$/, '')
    .split(/\s*(?:,|;|\bund\b|&)\s*/i)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return { error: 'Wochentag fehlt' };
  for (const part of parts) {
    const range = part.split(new RegExp(DASH, 'i'));
    const keys: Day[] = [];
    for (const r of range) {
      const d = DAY_WORDS.get(r.trim().toLowerCase().replace(/\.$/, ''));
      if (!d) return { error: `Wochentag „${r.trim().slice(0, 20)}“ nicht erkannt` };
      keys.push(d);
    }
    if (keys.length === 1) days.push(keys[0]!);
    else if (keys.length === 2) {
      const a = ORDER.indexOf(keys[0]!);
      const b = ORDER.indexOf(keys[1]!);
      if (b < a) return { error: `der Bereich „${part}“ läuft rückwärts (von Montag bis Sonntag angeben)` };
      days.push(...ORDER.slice(a, b + 1));
    } else return { error: `„${part}“ ist kein Tagesbereich` };
  }
  return { days };
}

function toHhmm(h: string, m: string | undefined): string | null {
  const hh = Number(h);
  const mm = m === undefined ? 0 : Number(m);
  if (hh > 23 || mm > 59) return null;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/**
 * Parses opening hours; every problem names its line (German).
 * @example parseOpeningHours('Mo–Fr 08:00–12:30\nDi 14:00–16:00').windows.length === 6
 */
export function parseOpeningHours(text: string): { windows: OpeningWindow[]; errors: string[] } {
  const out: (OpeningWindow & { line: number })[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const no = i + 1;
    const bad = (why: string) => errors.push(`Zeile ${no}: „${line.slice(0, 40)}“ – ${why}; ${EXAMPLE}.`);
    const closed = /^(.*?)\s*:?\s+geschlossen$/i.exec(line);
    const firstDigit = line.search(/\d/);
    if (!closed && firstDigit <= 0) return bad(firstDigit === 0 ? 'Wochentag fehlt' : 'Uhrzeit fehlt');
    const spec = parseDaySpec((closed ? closed[1]! : line.slice(0, firstDigit)).trim());
    if ('error' in spec) return bad(spec.error);
    if (closed) return; // "Sa geschlossen": no window
    const windows = line
      .slice(firstDigit)
      .split(/\s*(?:,|;|\bund\b)\s*/i)
      .filter(Boolean);
    const parsed: { from: string; to: string }[] = [];
    for (const w of windows) {
      const m = WINDOW_RE.exec(w.trim());
      const from = m ? toHhmm(m[1]!, m[2]) : null;
      const to = m ? toHhmm(m[3]!, m[4]) : null;
      if (!m || !from || !to) return bad(`„${w.slice(0, 20)}“ ist keine Zeitspanne im Format HH:MM–HH:MM`);
      if (from >= to) return bad(`der Beginn ${from} liegt nicht vor dem Ende ${to}`);
      parsed.push({ from, to });
    }
    for (const day of spec.days) for (const p of parsed) out.push({ day, ...p, line: no });
  });
  const sorted = [...out].sort((a, b) => ORDER.indexOf(a.day) - ORDER.indexOf(b.day) || a.from.localeCompare(b.from));
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.day === b.day && b.from < a.to) {
      const where = a.line === b.line ? `Zeile ${a.line}` : `Zeile ${a.line} und Zeile ${b.line}`;
      errors.push(`${where}: Die Zeiten am ${LONG_DE[b.day]} überschneiden sich (${a.from}–${a.to} und ${b.from}–${b.to}).`);
    }
  }
  return { windows: sorted.map(({ day, from, to }) => ({ day, from, to })), errors };
}

/**
 * German text of opening hours: days with the same windows share a line,
 * runs of three or more days become a range (`Mo–Fr`). Parses back to the same windows.
 * @example formatOpeningHours([{ day: 'mon', from: '08:00', to: '12:00' }]) === 'Mo 08:00–12:00'
 */
export function formatOpeningHours(windows: readonly { day: string; from: string; to: string }[]): string {
  const byDay = new Map<Day, string[]>();
  for (const w of [...windows].sort((a, b) => a.from.localeCompare(b.from))) {
    if (!ORDER.includes(w.day as Day)) continue;
    const list = byDay.get(w.day as Day) ?? [];
    list.push(`${w.from}–${w.to}`);
    byDay.set(w.day as Day, list);
  }
  const groups = new Map<string, Day[]>();
  for (const d of ORDER) {
    const key = byDay.get(d)?.join(', ');
    if (!key) continue;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  const lines: string[] = [];
  for (const [times, days] of groups) {
    const runs: Day[][] = [];
    for (const d of days) {
      const last = runs.at(-1);
      if (last && ORDER.indexOf(last.at(-1)!) + 1 === ORDER.indexOf(d)) last.push(d);
      else runs.push([d]);
    }
    const spec = runs
      .map((r) => (r.length >= 3 ? `${SHORT_DE[r[0]!]}–${SHORT_DE[r.at(-1)!]}` : r.map((d) => SHORT_DE[d]).join(', ')))
      .join(', ');
    lines.push(`${spec} ${times}`);
  }
  return lines.join('\n');
}
