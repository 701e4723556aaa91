import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holidayName } from './holidays.ts';
import type { OpeningWindow } from './schema.ts';
import { claimKey, decodeSlotId, encodeSlotId, generateSlots, type SlotRules } from './slots.ts';
import { addDays, isoWithOffset, localDate, localTime, weekdayOf, zonedToUtc } from './time.ts';
import { signToken, verifyToken } from './security.ts';

const TZ = 'Europe/Berlin';
const NORTHEIM: OpeningWindow[] = [
  { day: 'mon', from: '08:00', to: '12:30' },
  { day: 'tue', from: '08:00', to: '12:30' },
  { day: 'tue', from: '14:00', to: '16:00' },
  { day: 'wed', from: '08:00', to: '12:30' },
  { day: 'thu', from: '08:00', to: '12:30' },
  { day: 'thu', from: '14:00', to: '18:00' },
  { day: 'fri', from: '08:00', to: '12:00' },
];
const rules = (over: Partial<SlotRules> = {}): SlotRules => ({
  locationId: 'bb',
  timeZone: TZ,
  openingHours: NORTHEIM,
  slotMinutes: 10,
  isClosed: (d) => holidayName('DE', 'NI', d) !== null,
  workstations: [1, 2, 3, 4, 5].map((i) => ({ id: `s${i}`, serviceIds: i === 5 ? ['a'] : ['a', 'b'] })),
  ...over,
});

describe('time zone helpers (Europe/Berlin)', () => {
  it('converts wall-clock times on both sides of the DST changes', () => {
    expect(zonedToUtc('2026-03-27', '08:00', TZ).toISOString()).toBe('2026-03-27T07:00:00.000Z');
    expect(zonedToUtc('2026-03-30', '08:00', TZ).toISOString()).toBe('2026-03-30T06:00:00.000Z');
    expect(zonedToUtc('2026-10-23', '08:00', TZ).toISOString()).toBe('2026-10-23T06:00:00.000Z');
    expect(zonedToUtc('2026-10-26', '08:00', TZ).toISOString()).toBe('2026-10-26T07:00:00.000Z');
    // gap on 2026-03-29: 02:30 does not exist and moves forward; ambiguous 02:30 on 10-25 takes the first.
    expect(zonedToUtc('2026-03-29', '02:30', TZ).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(isoWithOffset(zonedToUtc('2026-03-29', '02:30', TZ), TZ)).toBe('2026-03-29T03:30:00+02:00');
    expect(zonedToUtc('2026-10-25', '02:30', TZ).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(isoWithOffset(new Date('2026-10-25T01:30:00Z'), TZ)).toBe('2026-10-25T02:30:00+01:00');
  });
  it('knows the weekday and adds days across month ends', () => {
    expect(weekdayOf('2026-03-29')).toBe('sun');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });
});

describe('slot generator', () => {
  it('produces Northeim Tuesday with a split day and exact 10-minute steps over DST weeks', () => {
    for (const date of ['2026-03-24', '2026-03-31', '2026-10-20', '2026-10-27']) {
      const s = generateSlots(rules(), { serviceIds: ['a'], units: 1, fromDate: date, toDate: date, earliest: new Date(0) });
      expect(s.length).toBe(27 + 12);
      expect(localTime(s[0]!.start, TZ)).toBe('08:00');
      expect(localTime(s.at(-1)!.start, TZ)).toBe('15:50');
      expect(s.every((x) => x.end.getTime() - x.start.getTime() === 600_000)).toBe(true);
    }
  });
  it('skips DST Sundays (closed) and shifts the UTC time on Monday after DST', () => {
    const s = generateSlots(rules(), { serviceIds: ['a'], units: 1, fromDate: '2026-03-28', toDate: '2026-03-30', earliest: new Date(0) });
    expect(localDate(s[0]!.start, TZ)).toBe('2026-03-30');
    expect(s[0]!.start.toISOString()).toBe('2026-03-30T06:00:00.000Z');
    const o = generateSlots(rules(), { serviceIds: ['a'], units: 1, fromDate: '2026-10-24', toDate: '2026-10-26', earliest: new Date(0) });
    expect(o[0]!.start.toISOString()).toBe('2026-10-26T07:00:00.000Z');
  });
  it('handles a Sunday opening across the DST gap and overlap by real elapsed time', () => {
    const sun: OpeningWindow[] = [{ day: 'sun', from: '01:00', to: '04:00' }];
    const spring = generateSlots(rules({ openingHours: sun, isClosed: () => false }), { serviceIds: ['a'], units: 1, fromDate: '2026-03-29', toDate: '2026-03-29', earliest: new Date(0) });
    expect(spring.length).toBe(12); // 2 real hours
    const autumn = generateSlots(rules({ openingHours: sun, isClosed: () => false }), { serviceIds: ['a'], units: 1, fromDate: '2026-10-25', toDate: '2026-10-25', earliest: new Date(0) });
    expect(autumn.length).toBe(24); // 4 real hours
  });
  it('closes on Niedersachsen holidays (Reformationstag, Karfreitag)', () => {
    expect(holidayName('DE', 'NI', '2026-10-31')).toMatch(/Reformation/);
    const s = generateSlots(rules({ openingHours: [...NORTHEIM, { day: 'sat', from: '09:00', to: '12:00' }] }), {
      serviceIds: ['a'],
      units: 1,
      fromDate: '2026-10-31',
      toDate: '2026-10-31',
      earliest: new Date(0),
    });
    expect(s).toEqual([]);
    expect(generateSlots(rules(), { serviceIds: ['a'], units: 1, fromDate: '2026-04-03', toDate: '2026-04-03', earliest: new Date(0) })).toEqual([]);
  });
  it('multi-unit visits stay inside one window and only use free units', () => {
    const date = '2026-12-01'; // Tuesday
    const first = zonedToUtc(date, '08:00', TZ);
    const taken = new Set(['s1', 's2', 's3', 's4'].map((w) => claimKey(w, first.getTime() + 600_000)));
    const s = generateSlots(rules(), { serviceIds: ['b'], units: 3, fromDate: date, toDate: date, earliest: new Date(0), taken });
    expect(localTime(s[0]!.start, TZ)).toBe('08:20');
    expect(s.some((x) => localTime(x.start, TZ) === '12:00')).toBe(true);
    expect(s.some((x) => localTime(x.start, TZ) === '12:10')).toBe(false);
    expect(s.every((x) => !x.workstationIds.includes('s5'))).toBe(true);
  });
  it('round-trips slot ids and rejects malformed ones', () => {
    const start = new Date('2026-12-01T07:20:00Z');
    const id = encodeSlotId('buergerbuero', start, 3);
    expect(id).toBe('buergerbuero.20261201T0720Z.3');
    expect(decodeSlotId(id)).toEqual({ locationId: 'buergerbuero', start, units: 3 });
    for (const bad of ['', 'x', 'bb.20261301T0720Z.1', 'bb.20261201T0720Z.0', 'BB.20261201T0720Z.1', 'bb.20260230T0720Z.1']) expect(decodeSlotId(bad)).toBeNull();
  });

  const windowArb = fc
    .tuple(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'), fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 10, max: 8 * 60 }))
    .map(([day, from, len]) => {
      const to = Math.min(from + len, 23 * 60 + 59);
      const f = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return { day, from: f(from), to: f(to) } as OpeningWindow;
    });

  it('property: slots lie in opening hours, avoid closed days and taken units, are ordered and unique', () => {
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(5, 10, 15, 30),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        (windows, offset, span, slotMinutes, units, takenIdx, closedMod) => {
          const from = addDays('2026-01-01', offset);
          const to = addDays(from, span);
          const isClosed = (d: string) => holidayName('DE', 'NI', d) !== null || Number(d.slice(8, 10)) % 7 === closedMod;
          const r = rules({ openingHours: windows, slotMinutes, isClosed, workstations: [{ id: 'w1', serviceIds: ['a'] }, { id: 'w2', serviceIds: ['a'] }] });
          const all = generateSlots(r, { serviceIds: ['a'], units: 1, fromDate: from, toDate: to, earliest: new Date(0) });
          const taken = new Set(takenIdx.filter((i) => i < all.length).map((i) => claimKey('w1', all[i]!.start)));
          const s = generateSlots(r, { serviceIds: ['a'], units, fromDate: from, toDate: to, earliest: new Date(0), taken });
          for (let i = 0; i < s.length; i++) {
            const x = s[i]!;
            if (i > 0) expect(x.start.getTime()).toBeGreaterThan(s[i - 1]!.start.getTime());
            expect(x.end.getTime() - x.start.getTime()).toBe(units * slotMinutes * 60_000);
            const date = localDate(x.start, TZ);
            expect(date >= from && date <= to).toBe(true);
            expect(isClosed(date)).toBe(false);
            // every unit inside one window of that weekday (UTC bounds, so DST-safe)
            const inWindow = windows.some((w) => {
              if (w.day !== weekdayOf(date) || w.from >= w.to) return false;
              const a = zonedToUtc(date, w.from, TZ).getTime();
              const b = zonedToUtc(date, w.to, TZ).getTime();
              return x.start.getTime() >= a && x.end.getTime() <= b;
            });
            expect(inWindow).toBe(true);
            for (const w of x.workstationIds) for (let u = 0; u < units; u++) expect(taken.has(claimKey(w, x.start.getTime() + u * slotMinutes * 60_000))).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: booking a returned slot never overlaps another booking on that workstation', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), (picks, units) => {
        const r = rules({ workstations: [{ id: 'w1', serviceIds: ['a'] }] });
        const taken = new Set<string>();
        const intervals: [number, number][] = [];
        for (const p of picks) {
          const s = generateSlots(r, { serviceIds: ['a'], units, fromDate: '2026-12-01', toDate: '2026-12-02', earliest: new Date(0), taken });
          if (!s.length) break;
          const chosen = s[p % s.length]!;
          for (let u = 0; u < units; u++) taken.add(claimKey('w1', chosen.start.getTime() + u * 600_000));
          for (const [a, b] of intervals) expect(chosen.end.getTime() <= a || chosen.start.getTime() >= b).toBe(true);
          intervals.push([chosen.start.getTime(), chosen.end.getTime()]);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('signed tokens', () => {
  const secret = 'x'.repeat(40);
  const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
  const now = new Date('2026-12-01T10:00:00Z');
  it('verifies its own tokens and rejects forged, foreign, wrong-purpose and expired ones with 410', () => {
    const t = signToken(secret, 'manage', id, new Date('2026-12-02T00:00:00Z'));
    expect(verifyToken(secret, 'manage', t, now, id)).toBe(id);
    const forged = t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of [forged, 'nonsense', '', signToken('y'.repeat(40), 'manage', id, new Date('2026-12-02')), signToken(secret, 'confirm', id, new Date('2026-12-02'))]) {
      expect(() => verifyToken(secret, 'manage', bad, now, id)).toThrow(expect.objectContaining({ code: 'gone' }));
    }
    expect(() => verifyToken(secret, 'manage', t, now, '00000000-0000-0000-0000-000000000000')).toThrow(/ungültig/);
    expect(() => verifyToken(secret, 'manage', t, new Date('2026-12-03T00:00:00Z'), id)).toThrow(/abgelaufen/);
  });
});
