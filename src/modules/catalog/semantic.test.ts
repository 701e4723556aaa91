import { describe, expect, it } from 'vitest';
import { LatentSpace } from './semantic.ts';

const tf = (words: string) => {
  const m = new Map<string, number>();
  for (const w of words.split(' ')) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
};

describe('latent semantic smoothing (LSA on the catalog texts)', () => {
  // Two topics: vehicles and dogs. "kennzeichen" never occurs with "saison" in the same text as
  // "motorrad", but the vehicle texts share words, so a question about "motorrad" is closer to
  // every vehicle text than to the dog texts.
  const docs = [
    { id: 'v1', tf: tf('fahrzeug zulassung kennzeichen motorrad') },
    { id: 'v2', tf: tf('fahrzeug zulassung kennzeichen saison') },
    { id: 'v3', tf: tf('fahrzeug kennzeichen abmeldung') },
    { id: 'd1', tf: tf('hund steuer anmeldung marke') },
    { id: 'd2', tf: tf('hund steuer marke gefahrlich') },
    { id: 'd3', tf: tf('hund anmeldung halter') },
  ];
  const idf = () => 1;
  it('ranks services of the question\'s topic above others, also where they lack the word', () => {
    const ls = new LatentSpace(docs, idf, { k: 2, iterations: 30 });
    expect(ls.ready).toBe(true);
    const sim = ls.similarity([{ term: 'motorrad', weight: 1 }], idf, docs.map((d) => d.id));
    expect(sim.get('v2')!).toBeGreaterThan(sim.get('d1')!);
    expect(sim.get('v3')!).toBeGreaterThan(sim.get('d2')!);
    expect(sim.get('v1')!).toBeGreaterThan(0.5);
  });
  it('is off for tiny catalogs and returns nothing for unknown words', () => {
    expect(new LatentSpace(docs.slice(0, 2), idf).ready).toBe(false);
    const ls = new LatentSpace(docs, idf, { k: 2, iterations: 10 });
    expect(ls.similarity([{ term: 'wetter', weight: 1 }], idf, ['v1']).size).toBe(0);
  });
});
