import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLeitwegId, isValidIban, mod97, mod97CheckDigits } from './check-digits.ts';

describe('Leitweg-ID check digits (MOD 97-10)', () => {
  it('accepts the Leitweg-ID of Northeim and the KoSIT samples', () => {
    for (const id of ['031550011011-0-76', '04011000-12345-03', '04011000-12346-97', '90000000-03083-72', '11002002-98765-14']) {
      expect(checkLeitwegId(id)).toEqual({ ok: true });
    }
  });

  it('names the expected check digits of a wrong one', () => {
    expect(checkLeitwegId('04011000-12345-34')).toEqual({ ok: false, problem: 'checkDigits', expected: '03' });
  });

  it('rejects wrong forms', () => {
    for (const id of ['0401100012345-03x', '1-2345-03', 'ABC-12345-03', '04011000-12345-3', '04011000--03', '']) {
      expect(checkLeitwegId(id)).toMatchObject({ ok: false, problem: 'format' });
    }
  });

  const grob = fc.stringMatching(/^\d{2,12}$/);
  const fein = fc.option(fc.stringMatching(/^[A-Z0-9]{1,30}$/), { nil: undefined });

  it('property: computed check digits always verify', () => {
    fc.assert(
      fc.property(grob, fein, (g, f) => {
        const id = `${g}${f ? `-${f}` : ''}-${mod97CheckDigits(`${g}${f ?? ''}`)}`;
        expect(checkLeitwegId(id).ok).toBe(true);
      }),
    );
  });

  it('property: changing one digit of the Grobadressierung is always detected', () => {
    fc.assert(
      fc.property(grob, fc.nat(), fc.integer({ min: 1, max: 9 }), (g, pos, delta) => {
        const check = mod97CheckDigits(g);
        const i = pos % g.length;
        const changed = g.slice(0, i) + String((Number(g[i]) + delta) % 10) + g.slice(i + 1);
        expect(checkLeitwegId(`${changed}-${check}`).ok).toBe(false);
      }),
    );
  });
});

describe('IBAN checksum', () => {
  it('accepts valid and rejects changed IBANs', () => {
    expect(isValidIban('DE02120300000000202051')).toBe(true);
    expect(isValidIban('DE02 1203 0000 0000 2020 51')).toBe(true);
    expect(isValidIban('DE79000000001234567890')).toBe(true);
    expect(isValidIban('DE02120300000000202052')).toBe(false);
    expect(isValidIban('DE0212030000000020205')).toBe(false); // length
    expect(isValidIban('XX')).toBe(false);
  });

  it('property: a generated German IBAN verifies; swapping two different adjacent digits does not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{18}$/), fc.integer({ min: 4, max: 20 }), (bban, i) => {
        const iban = `DE${mod97CheckDigits(`${bban}DE`)}${bban}`;
        expect(mod97(iban.slice(4) + iban.slice(0, 4))).toBe(1);
        expect(isValidIban(iban)).toBe(true);
        if (iban[i] !== iban[i + 1]) {
          const swapped = iban.slice(0, i) + iban[i + 1] + iban[i] + iban.slice(i + 2);
          expect(isValidIban(swapped)).toBe(false);
        }
      }),
    );
  });
});
