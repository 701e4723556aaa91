import { describe, expect, it } from 'vitest';
import { cookieSecure } from './middleware.ts';
import { generateOneTimePassword } from './password.ts';
import { safeEqual } from './tokens.ts';

describe('cookie Secure flag', () => {
  it.each([
    ['auto', 'http://localhost:3000', false],
    ['auto', 'https://lotse.northeim.de', true],
    ['on', 'http://localhost:3000', true],
    ['off', 'https://lotse.northeim.de', false],
  ] as const)('LOTSE_COOKIE_SECURE=%s with %s → %s', (mode, baseUrl, expected) => {
    expect(cookieSecure({ LOTSE_COOKIE_SECURE: mode, baseUrl })).toBe(expected);
  });
});

describe('one-time passwords and token comparison', () => {
  it('are 4 groups of 5 unambiguous characters and do not repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = generateOneTimePassword();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/);
      expect(p).not.toMatch(/[01lIoO]/);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
  });

  it('safeEqual compares exactly and never accepts empty strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(false);
  });
});
