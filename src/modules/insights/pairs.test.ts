import { describe, expect, it } from 'vitest';
import { addDays, applyThreshold, berlinDate, MAX_SERVICES_PER_SIGNAL, monthOf, monthsBack, servicePairs } from './pairs.ts';

describe('co-use pairs', () => {
  it('builds each unordered pair of distinct services once, smaller id first', () => {
    expect(servicePairs(['c', 'a', 'b', 'a'])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
  });
  it('gives no pairs for one service, empty lists or malformed ids', () => {
    expect(servicePairs(['a'])).toEqual([]);
    expect(servicePairs([])).toEqual([]);
    expect(servicePairs(['a', '<script>', 'x y', ''])).toEqual([]);
  });
  it('bounds the number of services per signal', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    expect(servicePairs(ids)).toHaveLength((MAX_SERVICES_PER_SIGNAL * (MAX_SERVICES_PER_SIGNAL - 1)) / 2);
  });
});

describe('k-threshold', () => {
  const rows = [{ count: 4 }, { count: 5 }, { count: 17 }];
  it('keeps only counts of at least 5', () => expect(applyThreshold(rows)).toEqual([{ count: 5 }, { count: 17 }]));
  it('never goes below 5, even when asked to', () => expect(applyThreshold(rows, 1)).toEqual([{ count: 5 }, { count: 17 }]));
  it('may be stricter', () => expect(applyThreshold(rows, 10)).toEqual([{ count: 17 }]));
});

describe('Berlin calendar', () => {
  it('uses the Berlin day and month (23:30 UTC on 31 Jan is 1 Feb in Berlin)', () => {
    const t = new Date('2026-01-31T23:30:00Z');
    expect(berlinDate(t)).toBe('2026-02-01');
    expect(monthOf(t)).toBe('2026-02-01');
  });
  it('goes back whole months across the year', () => expect(monthsBack(new Date('2026-03-15T12:00:00Z'), 11)).toBe('2025-04-01'));
  it('adds days across month ends', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
