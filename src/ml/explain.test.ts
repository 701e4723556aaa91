import { describe, expect, it } from 'vitest';
import { extractFeatures, type FeatureSource } from './features.ts';
import { logits } from './logistic.ts';
import {
  classifyWith,
  deserializeClassifier,
  explainWith,
  serializeClassifier,
  trainTextClassifier,
  type TrainingRow,
} from './text-classifier.ts';
import { vectorize } from './features.ts';

const texts: Record<string, string[]> = {
  abfall: ['Sperrmüll am Gehweg', 'Matratze abgestellt', 'Müllsäcke neben der Tonne', 'altes Sofa auf dem Bürgersteig'],
  parken: ['Falschparker in der Einfahrt', 'Gehweg zugeparkt', 'parkt im Halteverbot', 'Auto in der Feuerwehrzufahrt'],
  laerm: ['laute Musik nachts', 'Partylärm am Wochenende', 'Lärm vom Nachbarn', 'Bässe bis drei Uhr'],
};
const rows: TrainingRow[] = [];
for (let r = 0; r < 6; r++)
  for (const [category, ts] of Object.entries(texts))
    for (const text of ts) rows.push({ subject: null, text, category, district: category === 'laerm' ? 'Nordstadt' : 'Altstadt' });
const { model } = trainTextClassifier(rows, { refit: true });

describe('explanations (why)', () => {
  it('names the words of the message that speak for the chosen category', () => {
    const input = { subject: null, text: 'Sperrmüll und eine Matratze vor dem Haus' };
    const p = classifyWith(model, input);
    const why = explainWith(model, input);
    expect(why.category).toBe(p.top[0]!.category);
    expect(why.category).toBe('abfall');
    const words = why.features.map((f) => f.feature);
    expect(words.some((w) => w.startsWith('sperrmull') || w.startsWith('matratze'))).toBe(true);
    expect(why.features.length).toBeLessThanOrEqual(5);
    for (const f of why.features) expect(f.weight).toBeGreaterThan(0);
    for (const f of why.against) expect(f.weight).toBeLessThan(0);
    // Strongest first.
    expect(why.features.map((f) => f.weight)).toEqual([...why.features.map((f) => f.weight)].sort((a, b) => b - a));
  });

  it('contributions add up to the category logit relative to the mean (without bias)', () => {
    const input = { subject: 'Lärm', text: 'laute Musik vom Nachbarn', district: 'Nordstadt' };
    const why = explainWith(model, input, { category: 'laerm', k: 10_000 });
    const c = model.categories.indexOf('laerm');
    const x = vectorize(
      extractFeatures(input.subject, input.text, model.features, { district: input.district }),
      model.vocab,
      model.features.extraWeight,
      model.idf,
    );
    const z = logits(model.model, x);
    const K = model.categories.length;
    const b = model.model.bias;
    const meanZ = z.reduce((a, v) => a + v, 0) / K;
    const meanB = b.reduce((a, v) => a + v, 0) / K;
    const expected = (z[c]! - meanZ - (b[c]! - meanB)) / model.temperature;
    const sum = [...why.features, ...why.against].reduce((a, f) => a + f.weight, 0);
    expect(sum).toBeCloseTo(expected, 1);
    expect(why.features.some((f) => f.kind === 'meta' && f.feature === 'district: Nordstadt')).toBe(true);
  });

  it('explains any category on request and survives serialisation', () => {
    const m2 = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(model))));
    const input = { subject: null, text: 'Auto parkt auf dem Gehweg' };
    expect(explainWith(m2, input)).toEqual(explainWith(model, input));
    expect(explainWith(model, input, { category: 'laerm' }).category).toBe('laerm');
  });

  it('feature sources run parallel to the features', () => {
    const sources: FeatureSource[] = [];
    const f = extractFeatures('Betreff', ' Kühlschrank\nam Gehweg', model.features, { district: 'Altstadt' }, sources);
    expect(sources.length).toBe(f.length);
    expect(f).toEqual(extractFeatures('Betreff', ' Kühlschrank\nam Gehweg', model.features, { district: 'Altstadt' }));
    expect(sources).toContainEqual({ kind: 'form', label: 'Text beginnt mit Leerzeichen' });
    expect(sources).toContainEqual({ kind: 'meta', label: 'district: Altstadt' });
  });
});
