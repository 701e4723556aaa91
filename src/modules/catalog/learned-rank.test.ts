import { describe, expect, it } from 'vitest';
import { LEARNED_FEATURES, N_FEATURES, trainListwise, trainPairwise, type LearnedModel, type RankGroup } from './learned-rank.ts';
import { inTrainHalf, pseudoQuerySets } from './learned-rank-train.ts';
import { LEARNED_MODEL } from './learned-rank-weights.ts';
import { CatalogIndex, type IndexDoc } from './search-index.ts';

const doc = (id: string, title: string, description: string, extra: Partial<IndexDoc> = {}): IndexDoc => ({
  id,
  title,
  leika: null,
  url: null,
  description,
  documents: [],
  fees: null,
  processingTime: null,
  legalBasis: null,
  department: null,
  keywords: [],
  internal: false,
  lifeSituationTitles: [],
  ...extra,
});

const row = (vals: Record<number, number>) => {
  const x = new Float64Array(N_FEATURES);
  for (const [i, v] of Object.entries(vals)) x[Number(i)] = v;
  return x;
};

const docs = [
  doc('pa', 'Personalausweis beantragen', 'Einen Personalausweis beantragen Sie im Bürgerbüro. Sie brauchen ein biometrisches Foto.', { keywords: ['Perso', 'Ausweis'] }),
  doc('pv', 'Verlust Personalausweis', 'Den Verlust des Personalausweises melden Sie sofort. Eine Verlustanzeige ist nötig.', { keywords: ['Ausweis verloren'] }),
  doc('hs', 'Hundesteuer anmelden', 'Hunde müssen angemeldet werden. Die Steuer wird jährlich erhoben.', { keywords: ['Hund'] }),
];

describe('learned re-ranking stage', () => {
  it('learns from pairs which feature marks the answer (deterministically)', () => {
    // Feature 4 (title cover) separates the answer; feature 0 is noise.
    const groups: RankGroup[] = Array.from({ length: 20 }, (_, i) => ({
      rows: [row({ 0: 1, 4: 0.2 }), row({ 0: 0.9 - (i % 3) * 0.1, 4: 0.9 }), row({ 0: 0.5, 4: 0.1 })],
      positive: 1,
    }));
    const w = trainPairwise(groups);
    expect(w[4]).toBeGreaterThan(0.5);
    expect(w[4]!).toBeGreaterThan(Math.abs(w[0]!));
    expect(trainPairwise(groups)).toEqual(w);
    const l = trainListwise(groups);
    expect(l[4]!).toBeGreaterThan(Math.abs(l[0]!));
  });

  it('is off by default; with a model it re-orders the head and keeps the top confidence on the BM25 evidence', () => {
    const hand = new CatalogIndex(docs, {}, 1);
    const q = 'Personalausweis verloren was tun';
    const base = hand.search(q);
    // A model that prefers the hand runner-up (inverse rank with negative weight).
    const flip: LearnedModel = { version: 'test', trainedOn: 'test', k: 2, weights: LEARNED_FEATURES.map((f) => (f === 'inv_rank' ? -1 : 0)) };
    const learned = new CatalogIndex(docs, {}, 1, { learned: flip });
    const r = learned.search(q);
    expect(r.hits.map((h) => h.id).slice(0, 2)).toEqual([base.hits[1]!.id, base.hits[0]!.id]);
    expect(r.hits[0]!.confidence).toBe(base.hits[0]!.confidence);
    expect(learned.search(q, { learned: false }).hits.map((h) => h.id)).toEqual(base.hits.map((h) => h.id));
  });

  it('gives feature rows in 0..1 for the candidates', () => {
    const ix = new CatalogIndex(docs, {}, 1, { features: true });
    const c = ix.candidates('Hundesteuer für meinen Hund', 'de', 3);
    expect(c[0]!.id).toBe('hs');
    for (const h of c) for (const v of h.features!) expect(v).toBeGreaterThanOrEqual(0);
    expect(c[0]!.features![0]).toBe(1);
  });

  it('builds leave-one-field-out pseudo-queries (field removed from the index they are searched in)', () => {
    const sets = pseudoQuerySets(docs);
    const kw = sets.find((s) => s.set === 'keywords')!;
    expect(kw.queries.map((q) => q.question)).toContain('Perso');
    expect(kw.docs.every((d) => d.keywords.length === 0)).toBe(true);
    const fs = sets.find((s) => s.set === 'first-sentence')!;
    expect(fs.queries.find((q) => q.expected === 'pa')!.question).toBe('Einen Personalausweis beantragen Sie im Bürgerbüro.');
    expect(fs.docs.find((d) => d.id === 'pa')!.description).not.toContain('Bürgerbüro');
    expect(typeof inTrainHalf('pa')).toBe('boolean');
  });

  it('ships a weight file with one weight per feature', () => {
    expect(LEARNED_MODEL.weights).toHaveLength(N_FEATURES);
    expect(LEARNED_MODEL.trainedOn).toMatch(/Munich/);
  });
});
