import { describe, expect, it } from 'vitest';
import { dayLabel } from './texts.ts';

describe('dayLabel', () => {
  it('writes German dates as DD.MM.YYYY', () => {
    expect(dayLabel('de', '2026-11-26', true)).toBe('Donnerstag, 26.11.2026');
    expect(dayLabel('de', '2026-11-26')).toBe('Do., 26.11.2026');
  });
  it('writes English dates in words, not ISO', () => {
    expect(dayLabel('en', '2026-11-26', true)).toBe('Thursday, 26 November 2026');
    expect(dayLabel('en', '2026-03-02')).toBe('Mon, 2 Mar 2026');
  });
});
