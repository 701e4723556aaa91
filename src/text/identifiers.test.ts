import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  extractAktenzeichen,
  extractAmounts,
  extractDates,
  extractIbans,
  extractIdentifiers,
  extractKassenzeichen,
  extractKfzKennzeichen,
  extractLeitwegIds,
  extractSteuernummern,
  extractTickets,
  extractUstIds,
  ibanCheckDigits,
  isValidIban,
  isValidLeitwegId,
  isValidUstId,
  leitwegCheckDigits,
  parseEuroToCents,
} from './identifiers.ts';

describe('Aktenzeichen', () => {
  it('finds cued and bare Aktenzeichen', () => {
    expect(extractAktenzeichen('Nachfrage Bauantrag Carport, Az. 63-0457/2026')).toEqual(['63-0457/2026']);
    expect(extractAktenzeichen('(Aktenzeichen 63-0457/2026)')).toEqual(['63-0457/2026']);
    expect(extractAktenzeichen('Unser Zeichen: 32.1-SN/17')).toEqual(['32.1-SN/17']);
    expect(extractAktenzeichen('Ihr Zeichen 4711-AB')).toEqual(['4711-AB']);
    expect(extractAktenzeichen('zum Antrag 32-123/2026 fehlt')).toEqual(['32-123/2026']);
  });
  it('ignores dates, Kassenzeichen and plain words', () => {
    expect(extractAktenzeichen('am 12.01.2026 mit Kassenzeichen 2026.0815.4711')).toEqual([]);
    expect(extractAktenzeichen('Ihr Zeichen vom Januar')).toEqual([]);
  });
});

describe('Kassenzeichen and tickets', () => {
  it('extracts Kassenzeichen with and without cue', () => {
    expect(extractKassenzeichen('Grundsteuer (Kassenzeichen 2026.0815.4711).')).toEqual(['2026.0815.4711']);
    expect(extractKassenzeichen('Kassenzeichen: 12-3456-78')).toEqual(['12-3456-78']);
    expect(extractKassenzeichen('Betrag 1.234.567 Euro')).toEqual([]);
  });
  it('extracts ticket numbers', () => {
    expect(extractTickets('Re: [#267938] Ihre Anfrage')).toEqual(['267938']);
    expect(extractTickets('[Ticket#2026012345] Antwort')).toEqual(['2026012345']);
    expect(extractTickets('Ticket-Nr. 98765')).toEqual(['98765']);
  });
});

describe('Leitweg-ID', () => {
  it('accepts the Northeim Leitweg-IDs (check digits Modulo 97-10)', () => {
    expect(isValidLeitwegId('031550011011-0-76')).toBe(true);
    expect(isValidLeitwegId('030-0000000103-35')).toBe(true);
    expect(leitwegCheckDigits('031550011011-0')).toBe('76');
  });
  it('rejects wrong check digits and malformed IDs', () => {
    expect(isValidLeitwegId('031550011011-0-77')).toBe(false);
    expect(isValidLeitwegId('031550011011-1-76')).toBe(false);
    expect(isValidLeitwegId('3-0-76')).toBe(false);
  });
  it('extracts from text', () => {
    expect(extractLeitwegIds('Leitweg-ID: 031550011011-0-76, falsch 031550011011-0-75')).toEqual(['031550011011-0-76']);
  });
  it('property: computed check digits validate, a changed digit does not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{2,12}$/), fc.stringMatching(/^[A-Z0-9]{0,10}$/), fc.nat(), (grob, fein, pos) => {
        const id = `${grob}${fein ? '-' + fein : ''}-${leitwegCheckDigits(grob + fein)}`;
        expect(isValidLeitwegId(id)).toBe(true);
        const i = pos % grob.length;
        const changed = grob.slice(0, i) + String((Number(grob[i]) + 1) % 10) + grob.slice(i + 1);
        expect(isValidLeitwegId(`${changed}${fein ? '-' + fein : ''}-${leitwegCheckDigits(grob + fein)}`)).toBe(false);
      }),
    );
  });
});

describe('IBAN', () => {
  it('validates known IBANs', () => {
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
  });
  it('extracts IBANs with spaces and stops at the following word', () => {
    expect(extractIbans('IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX')).toEqual(['DE89370400440532013000']);
  });
  const bban = fc.stringMatching(/^\d{18}$/);
  it('property: generated IBANs are accepted', () => {
    fc.assert(fc.property(bban, (b) => isValidIban(`DE${ibanCheckDigits('DE', b)}${b}`)));
  });
  it('property: one changed digit is rejected', () => {
    fc.assert(
      fc.property(bban, fc.nat(17), fc.integer({ min: 1, max: 9 }), (b, i, d) => {
        const iban = `DE${ibanCheckDigits('DE', b)}${b}`;
        const pos = 4 + i;
        const changed = iban.slice(0, pos) + String((Number(iban[pos]) + d) % 10) + iban.slice(pos + 1);
        return !isValidIban(changed);
      }),
    );
  });
});

describe('USt-IdNr, Steuernummer, Kfz', () => {
  it('extracts and checks USt-IdNr', () => {
    expect(extractUstIds('USt-IdNr.: DE 136 695 976')).toEqual(['DE136695976']);
    expect(isValidUstId('DE136695976')).toBe(true);
    expect(isValidUstId('DE136695977')).toBe(false);
  });
  it('extracts Steuernummern', () => {
    expect(extractSteuernummern('Steuernummer 21/815/08150')).toEqual(['21/815/08150']);
    expect(extractSteuernummern('St.-Nr. 2181508150123')).toEqual(['2181508150123']);
  });
  it('extracts Kfz-Kennzeichen', () => {
    expect(extractKfzKennzeichen('Der Wagen NOM-AB 123 steht dort')).toEqual(['NOM-AB 123']);
    expect(extractKfzKennzeichen('Kennzeichen B XY 1234 parkt')).toEqual(['B XY 1234']);
    expect(extractKfzKennzeichen('GÖ-X 12E')).toEqual(['GÖ-X 12E']);
    expect(extractKfzKennzeichen('Die E-Mail kam an')).toEqual([]);
  });
});

describe('dates and amounts', () => {
  it('extracts real dates only', () => {
    expect(extractDates('zum 31.12.2025 und am 1. Juli 2026, ISO 2026-02-03')).toEqual(['2025-12-31', '2026-02-03', '2026-07-01']);
    expect(extractDates('am 31.02.2026')).toEqual([]);
  });
  it('parses euro amounts to cents', () => {
    expect(extractAmounts('Gebühr 13,00 € oder € 1.234,56 und EUR 99 sowie 30 Euro')).toEqual([1300, 3000, 123456, 9900]);
    expect(parseEuroToCents('1.234,5')).toBe(123450);
    expect(parseEuroToCents('12,--')).toBe(1200);
    expect(parseEuroToCents('abc')).toBeNull();
  });
  it('property: formatted cents round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (cents) => {
        const s = (cents / 100).toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        return parseEuroToCents(s) === cents && extractAmounts(`Betrag ${s} €`).includes(cents);
      }),
    );
  });
});

describe('extractIdentifiers', () => {
  it('collects everything', () => {
    const r = extractIdentifiers('Az. 63-0457/2026, Kassenzeichen 2026.0815.4711, [#267938], 12,50 €');
    expect(r.aktenzeichen).toEqual(['63-0457/2026']);
    expect(r.kassenzeichen).toEqual(['2026.0815.4711']);
    expect(r.ticket).toEqual(['267938']);
    expect(r.amountsCents).toEqual([1250]);
  });
});
