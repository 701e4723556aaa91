import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contentHash, decodeVector, dot, encodeVector, fuseScores, HYBRID, serviceEmbeddingText, unitVector, type RankedHit } from './embeddings.ts';

const hit = (id: string, score: number, confidence = 0.8): RankedHit => ({ id, score, matchedTerms: [id], confidence });

describe('vector encode/decode (float32 little-endian bytea)', () => {
  it('round-trips float32 values exactly, also from a view into a larger buffer', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 300 }), (xs) => {
        const bytes = encodeVector(xs);
        expect(bytes.byteLength).toBe(xs.length * 4);
        const padded = new Uint8Array(bytes.byteLength + 3);
        padded.set(bytes, 3);
        expect(Array.from(decodeVector(padded.subarray(3)))).toEqual(Array.from(Float32Array.from(xs)));
      }),
    );
  });

  it('is little-endian and rejects a byte length that is not a multiple of 4', () => {
    expect(Array.from(encodeVector([1]))).toEqual([0, 0, 0x80, 0x3f]);
    expect(() => decodeVector(new Uint8Array(6))).toThrow(/float32/);
  });

  it('unit vectors make the dot product a cosine; zero stays zero', () => {
    const a = unitVector([3, 4]);
    expect(dot(a, a)).toBeCloseTo(1, 6);
    expect(dot(unitVector([1, 0]), unitVector([0, 2]))).toBe(0);
    expect(Array.from(unitVector([0, 0]))).toEqual([0, 0]);
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    expect(dot(x, x)).toBe(140);
  });
});

describe('service text and content hash', () => {
  const doc = { title: 'Hund anmelden', keywords: ['Hundesteuer'], lifeSituationTitles: ['Hund'], description: 'Text  mit\n\nLeerraum' };
  it('joins title, keywords, life situations and description, whitespace collapsed', () => {
    expect(serviceEmbeddingText(doc)).toBe('Hund anmelden\nHundesteuer\nHund\nText mit Leerraum');
  });
  it('hash changes with the text only', () => {
    expect(contentHash(serviceEmbeddingText(doc))).toBe(contentHash(serviceEmbeddingText({ ...doc })));
    expect(contentHash(serviceEmbeddingText(doc))).not.toBe(contentHash(serviceEmbeddingText({ ...doc, description: 'anders' })));
  });
});

describe('fuseScores (weighted BM25 + semantic score)', () => {
  // Cosines of a 6-service catalog: (lower) median 0.45 → zero point; max 0.9.
  const cos = new Map([
    ['a', 0.5],
    ['b', 0.9],
    ['c', 0.45],
    ['d', 0.85],
    ['e', 0.4],
    ['f', 0.3],
  ]);

  it('without vectors or BM25 hits nothing changes', () => {
    const bm = [hit('a', 10), hit('b', 9)];
    expect(fuseScores(bm, new Map(), { limit: 5 })).toEqual(bm);
    expect(fuseScores([], cos, { limit: 5 })).toEqual([]);
  });

  it('a close BM25 runner-up that the vectors clearly prefer moves to the top', () => {
    const r = fuseScores([hit('a', 10), hit('b', 9), hit('c', 2)], cos, { limit: 3 });
    expect(r.map((h) => h.id)).toEqual(['b', 'a', 'd']);
    // b: 0.65·0.9 + 0.35·1 = 0.935; a: 0.65·1 + 0.35·0.11 = 0.69; d: 0.35·0.89 = 0.31; c: 0.65·0.2 = 0.13
    expect(r[0]!.score).toBeCloseTo(10 * 0.935, 6);
  });

  it('a clear BM25 winner stays first when the vectors mildly prefer another', () => {
    const mild = new Map([...cos, ['a', 0.7]]);
    const r = fuseScores([hit('a', 10), hit('b', 3)], mild, { limit: 2 });
    expect(r[0]!.id).toBe('a');
  });

  it('vector-only candidates may join but carry no matched terms; scores fall with the order', () => {
    const r = fuseScores([hit('a', 10), hit('c', 9)], cos, { limit: 6 });
    expect(r.map((h) => h.id)).toContain('b');
    expect(r.find((h) => h.id === 'b')!.matchedTerms).toEqual([]);
    for (let i = 1; i < r.length; i++) expect(r[i]!.score).toBeLessThanOrEqual(r[i - 1]!.score);
    expect(fuseScores([hit('a', 10)], cos, { limit: 10, vectorPool: 0 }).map((h) => h.id)).toEqual(['a']);
  });

  it('keeps the BM25 confidence of the query as the top confidence (order changes, not certainty)', () => {
    const r = fuseScores([hit('a', 10, 0.62), hit('b', 9, 0.55)], cos, { limit: 2 });
    expect(r[0]!.confidence).toBe(0.62);
    expect(r[1]!.confidence).toBeLessThan(0.62);
  });

  it('all cosines equal → semantic part is zero and the BM25 order stays', () => {
    const flat = new Map([...cos.keys()].map((k) => [k, 0.8]));
    const bm = [hit('c', 10), hit('a', 5), hit('b', 1)];
    expect(fuseScores(bm, flat, { limit: 3 }).map((h) => h.id)).toEqual(['c', 'a', 'b']);
  });

  it('weight 0 is BM25 alone', () => {
    const bm = [hit('a', 10), hit('b', 9), hit('c', 2)];
    expect(fuseScores(bm, cos, { limit: 3, weight: 0 }).map((h) => h.id)).toEqual(['a', 'b', 'c']);
    expect(HYBRID.WEIGHT).toBeGreaterThan(0);
  });
});
