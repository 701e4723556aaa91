import { describe, expect, it } from 'vitest';
import { Lexicon, tokenize } from '../../text/index.ts';
import { analyzeTitle, queryCredit, titleCover } from './rerank.ts';

describe('title-cover re-ranking', () => {
  const lex = new Lexicon();
  lex.addText(tokenize('Personalausweis Verlust Diebstahl Reisepass vorläufiger Ausfuhrkennzeichen Kennzeichen Ausfuhr'));
  it('prefers the sibling service whose title the question names fully', () => {
    const credit = queryCredit([{ term: 'personalausweis', weight: 1 }, { term: 'personal', weight: 0.6 }, { term: 'ausweis', weight: 0.6 }]);
    const plain = titleCover(analyzeTitle('Personalausweis', lex), credit);
    const lost = titleCover(analyzeTitle('Verlust oder Diebstahl Personalausweis', lex), credit);
    expect(plain).toBe(1);
    expect(lost).toBeCloseTo(1 / 3);
  });
  it('gives partial credit for compound parts and scales weak query terms', () => {
    const title = analyzeTitle('Ausfuhrkennzeichen', lex);
    expect(title[0]!.parts.length).toBe(2);
    const half = titleCover(title, queryCredit([{ term: 'kennzeich', weight: 1 }]));
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(1);
    expect(titleCover(analyzeTitle('Reisepass', lex), queryCredit([{ term: 'reisepass', weight: 0.3 }]))).toBeCloseTo(0.5);
    expect(titleCover([], new Map())).toBe(0);
  });
  it('counts a bare verb for a prefixed title word at half credit ("meld" → Wohnsitzanmeldung)', () => {
    const l = new Lexicon();
    l.addText(tokenize('Wohnsitz Anmeldung'));
    const title = analyzeTitle('Wohnsitzanmeldung', l);
    expect(title[0]!.bases).toContain('meld');
    expect(titleCover(title, queryCredit([{ term: 'meld', weight: 1 }]))).toBeCloseTo(0.5);
  });
  it('counts a title word as named through its word family ("Verlorenes" ← Verlust), only when asked for', () => {
    const l = new Lexicon();
    l.addText(tokenize('Verlorenes Fahrrad abholen'));
    const credit = queryCredit([{ term: 'verlust', weight: 0.7 }, { term: 'fahrrad', weight: 1 }]);
    const withFamilies = titleCover(analyzeTitle('Verlorenes Fahrrad', l, true), credit);
    const without = titleCover(analyzeTitle('Verlorenes Fahrrad', l), credit);
    expect(analyzeTitle('Verlorenes Fahrrad', l, true)[0]!.alts).toContain('verlust');
    expect(withFamilies).toBe(1);
    expect(without).toBeCloseTo(0.5);
  });
});
