import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOpeningHours, parseOpeningHours } from './opening-hours.ts';
import type { OpeningWindow } from './schema.ts';

const NORTHEIM: OpeningWindow[] = [
  { day: 'mon', from: '08:00', to: '12:30' },
  { day: 'tue', from: '08:00', to: '12:30' },
  { day: 'tue', from: '14:00', to: '16:00' },
  { day: 'wed', from: '08:00', to: '12:30' },
  { day: 'thu', from: '08:00', to: '12:30' },
  { day: 'thu', from: '14:00', to: '18:00' },
  { day: 'fri', from: '08:00', to: '12:00' },
];
const ok = (text: string) => {
  const r = parseOpeningHours(text);
  expect(r.errors).toEqual([]);
  return r.windows;
};

describe('opening hours in German', () => {
  it('reads abbreviations, full names, ranges with en dash, lists and several windows per line', () => {
    expect(ok('Mo–Fr 08:00–12:00')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '08:00', to: '12:00' })));
    expect(ok('Montag 8–12 Uhr\nDienstag: 08.00 - 12.30, 14:00 bis 16:00')).toEqual([
      { day: 'mon', from: '08:00', to: '12:00' },
      { day: 'tue', from: '08:00', to: '12:30' },
      { day: 'tue', from: '14:00', to: '16:00' },
    ]);
    expect(ok('Di, Do 14:00–16:00\nSa geschlossen\nSo. 10:00-11:00')).toEqual([
      { day: 'tue', from: '14:00', to: '16:00' },
      { day: 'thu', from: '14:00', to: '16:00' },
      { day: 'sun', from: '10:00', to: '11:00' },
    ]);
    expect(ok('mo bis mi 09:00-10:00')).toHaveLength(3);
  });

  it('still accepts the English day codes', () => {
    expect(ok('mon 08:00-12:30\ntue 08:00-12:30\ntue 14:00-16:00\nwed 08:00-12:30\nthu 08:00-12:30\nthu 14:00-18:00\nfri 08:00-12:00')).toEqual(NORTHEIM);
  });

  it('shows the stored hours in German, grouped', () => {
    expect(formatOpeningHours(NORTHEIM)).toBe('Mo, Mi 08:00–12:30\nDi 08:00–12:30, 14:00–16:00\nDo 08:00–12:30, 14:00–18:00\nFr 08:00–12:00');
    expect(formatOpeningHours(['mon', 'tue', 'wed', 'thu', 'fri', 'sun'].map((day) => ({ day, from: '08:00', to: '12:00' })))).toBe('Mo–Fr, So 08:00–12:00');
    expect(formatOpeningHours([])).toBe('');
  });

  it('names the line and the day for malformed or overlapping windows', () => {
    expect(parseOpeningHours('Mo 08:00–12:00\nXy 08:00–09:00').errors[0]).toMatch(/^Zeile 2: „Xy 08:00–09:00“ – Wochentag „Xy“ nicht erkannt/);
    expect(parseOpeningHours('Di 12:00–08:00').errors[0]).toMatch(/^Zeile 1: .*Beginn 12:00 liegt nicht vor dem Ende 08:00/);
    expect(parseOpeningHours('Mi 25:00–26:00').errors[0]).toMatch(/^Zeile 1: .*keine Zeitspanne/);
    expect(parseOpeningHours('Do').errors[0]).toMatch(/^Zeile 1: .*Uhrzeit fehlt/);
    expect(parseOpeningHours('08:00–12:00').errors[0]).toMatch(/^Zeile 1: .*Wochentag fehlt/);
    expect(parseOpeningHours('Fr–Mo 08:00–12:00').errors[0]).toMatch(/rückwärts/);
    expect(parseOpeningHours('Mo–Fr 08:00–12:00\n\nDi 11:00–13:00').errors).toEqual(['Zeile 1 und Zeile 3: Die Zeiten am Dienstag überschneiden sich (08:00–12:00 und 11:00–13:00).']);
    expect(parseOpeningHours('Mi 08:00–12:00, 09:00–10:00').errors[0]).toMatch(/^Zeile 1: Die Zeiten am Mittwoch überschneiden sich/);
    // touching windows are fine (12:00 end, 12:00 start)
    expect(parseOpeningHours('Mi 08:00–12:00, 12:00–13:00').errors).toEqual([]);
  });

  const windowsArb = fc
    .array(
      fc.record({
        day: fc.constantFrom<OpeningWindow['day']>('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'),
        from: fc.integer({ min: 0, max: 23 * 60 + 58 }),
        len: fc.integer({ min: 1, max: 600 }),
      }),
      { maxLength: 12 },
    )
    .map((raw) => {
      const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      // Keep only non-overlapping windows per day (that is what the form can store).
      const kept: { day: OpeningWindow['day']; a: number; b: number }[] = [];
      for (const r of raw) {
        const b = Math.min(r.from + r.len, 23 * 60 + 59);
        if (!kept.some((k) => k.day === r.day && r.from < k.b && k.a < b)) kept.push({ day: r.day, a: r.from, b });
      }
      return kept.map((k) => ({ day: k.day, from: hm(k.a), to: hm(k.b) }));
    });
  const norm = (w: OpeningWindow[]) => [...w].sort((a, b) => `${a.day}${a.from}`.localeCompare(`${b.day}${b.from}`));

  it('format → parse gives back the same windows (property)', () => {
    fc.assert(
      fc.property(windowsArb, (w) => {
        const r = parseOpeningHours(formatOpeningHours(w));
        expect(r.errors).toEqual([]);
        expect(norm(r.windows)).toEqual(norm(w));
      }),
      { numRuns: 300 },
    );
  });

  it('parse is idempotent over format (English input → German text → same windows)', () => {
    fc.assert(
      fc.property(windowsArb, (w) => {
        const english = w.map((x) => `${x.day} ${x.from}-${x.to}`).join('\n');
        const once = ok(english);
        expect(ok(formatOpeningHours(once))).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
