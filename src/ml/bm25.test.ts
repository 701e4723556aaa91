import { describe, expect, it } from 'vitest';
import { Bm25fIndex } from './bm25.ts';
import { firstRelevantRank, hitRateAt, meanReciprocalRank, percentile } from './rank-metrics.ts';

describe('BM25F', () => {
  const ix = new Bm25fIndex({ title: { weight: 3, b: 0.5 }, body: { weight: 1, b: 0.75 } });
  ix.add('a', { title: ['hund', 'steur'], body: ['hund', 'anmeld'] });
  ix.add('b', { title: ['reisepass'], body: ['hund', 'hund', 'hund', 'pass', 'reis', 'urlaub'] });
  ix.add('c', { title: ['meldebescheinig'], body: ['wohnsitz'] });
  ix.add('d', { title: ['intern'], body: ['hund'] }, 0.5);

  it('ranks a title match above body matches and reports matched terms', () => {
    const hits = ix.search([{ term: 'hund', weight: 1 }]);
    expect(hits[0]!.id).toBe('a');
    expect(hits[0]!.matched).toEqual(['hund']);
    expect(hits.map((h) => h.id)).not.toContain('c');
  });
  it('applies query weights and priors', () => {
    const hits = ix.search([{ term: 'hund', weight: 0.1 }, { term: 'reisepass', weight: 1 }]);
    expect(hits[0]!.id).toBe('b');
    const withPrior = ix.search([{ term: 'hund', weight: 1 }]);
    expect(withPrior.findIndex((h) => h.id === 'd')).toBe(withPrior.length - 1);
  });
  it('rare terms weigh more (idf), unknown terms nothing', () => {
    expect(ix.idf('meldebescheinig')).toBeGreaterThan(ix.idf('hund'));
    expect(ix.search([{ term: 'gibtsnicht', weight: 1 }])).toEqual([]);
    expect(ix.maxIdf()).toBeGreaterThan(ix.idf('meldebescheinig'));
  });
  it('counts extra terms (compound parts) with their weight and without adding length', () => {
    const ix2 = new Bm25fIndex({ title: { weight: 1, b: 0.75 } });
    ix2.add('whole', { title: ['steur'] });
    ix2.add('part', { title: { terms: ['hundesteur'], extra: ['steur'], extraWeight: 0.5 } });
    const hits = ix2.search([{ term: 'steur', weight: 1 }]);
    expect(hits.map((h) => h.id)).toEqual(['whole', 'part']);
  });
});

describe('rank metrics', () => {
  const cases = [
    { ranked: ['a', 'b'], relevant: ['a'] },
    { ranked: ['x', 'b'], relevant: ['b'] },
    { ranked: ['x', 'y'], relevant: ['z'] },
  ];
  it('computes MRR, hit rates and ranks', () => {
    expect(firstRelevantRank(cases[1]!)).toBe(2);
    expect(meanReciprocalRank(cases)).toBeCloseTo((1 + 0.5 + 0) / 3);
    expect(hitRateAt(cases, 1)).toBeCloseTo(1 / 3);
    expect(hitRateAt(cases, 3)).toBeCloseTo(2 / 3);
    expect(meanReciprocalRank([])).toBe(0);
  });
  it('nearest-rank percentile', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 95)).toBe(0);
  });
});
