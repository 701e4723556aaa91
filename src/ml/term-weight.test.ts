import { describe, expect, it } from 'vitest';
import { buildVocabulary, classConcentration, extractFeatures, inverseDocumentFrequency } from './features.ts';
import { classifyWith, fineLabelSet, trainTextClassifier, TRAINING_RECIPE, type TrainingRow } from './text-classifier.ts';

describe('supervised term weights (classConcentration)', () => {
  // "the" in half of the documents of each class, "rat" in half of class 0 only, "odd" in all of class 1 only.
  const docs = [['rat', 'the'], ['rat', 'the'], ['a'], ['a'], ['odd', 'the'], ['odd', 'the'], ['odd'], ['odd']];
  const ys = [0, 0, 0, 0, 1, 1, 1, 1];
  const vocab = buildVocabulary(docs, 1);
  const w = (f: string, beta = 2, shrink = 0) => classConcentration(docs, ys, 2, vocab, beta, shrink)[vocab.get(f)!]!;

  it('weighs a feature of one class up and an evenly spread one not at all', () => {
    expect(w('the')).toBeCloseTo(1, 5);
    expect(w('rat')).toBeGreaterThan(1.2);
    expect(w('rat')).toBeLessThanOrEqual(3);
    expect(w('odd')).toBeGreaterThan(w('rat'));
    // β scales the extra weight linearly.
    expect(w('rat', 4) - 1).toBeCloseTo(2 * (w('rat', 2) - 1), 5);
  });

  it('shrinks the weight of rare features towards 1', () => {
    expect(w('rat', 2, 10)).toBeLessThan(w('rat', 2, 0));
    expect(w('rat', 2, 10)).toBeGreaterThan(1);
  });

  it('balances by class size (a feature in every document of a small class counts as concentrated)', () => {
    const d = [['x'], ['y'], ['y'], ['y'], ['y'], ['y'], ['x', 'y'], ['y']];
    const y = [0, 1, 1, 1, 1, 1, 1, 1];
    const v = buildVocabulary(d, 1);
    const cw = classConcentration(d, y, 2, v, 1);
    expect(cw[v.get('x')!]!).toBeGreaterThan(cw[v.get('y')!]!);
  });
});

describe('fine labels for the term weights', () => {
  const row = (category: string, detail: string | null): TrainingRow => ({ subject: null, text: 't', category, detail });
  it('makes frequent details classes of their own and keeps the rest by category', () => {
    const rows = [row('a', 'Lärm - Gaststätte'), row('a', ' lärm -  gaststätte '), row('a', 'selten'), row('b', null), row('b', 'x'), row('b', 'x')];
    const f = fineLabelSet(rows, ['a', 'b'], 2);
    expect(f.labels).toEqual(['a\u0000lärm - gaststätte', 'a', 'b', 'b\u0000x'].sort());
    expect(f.labels.map((l, i) => [l.split('\u0000')[0], f.group[i]])).toEqual(f.labels.map((l) => [l.split('\u0000')[0], l.startsWith('a') ? 0 : 1]));
    // Without any detail the classes are the categories.
    expect(fineLabelSet([row('a', null), row('b', null)], ['a', 'b'], 1).labels).toEqual(['a', 'b']);
  });
});

describe('text classifier with term weights', () => {
  const texts: Record<string, string[]> = {
    abfall: ['Sperrmüll am Gehweg', 'Matratze abgestellt', 'Müllsäcke neben der Tonne', 'Ratten am Müll', 'Kühlschrank abgestellt'],
    parken: ['Falschparker in der Einfahrt', 'Gehweg zugeparkt', 'parkt im Halteverbot', 'Auto in der Feuerwehrzufahrt', 'Transporter parkt auf dem Radweg'],
  };
  const rows: TrainingRow[] = [];
  for (let r = 0; r < 8; r++)
    for (const [category, ts] of Object.entries(texts))
      ts.forEach((text, i) => rows.push({ subject: null, text, category, detail: category === 'abfall' ? (i < 3 ? 'Sperrmüll' : i === 3 ? 'Ungeziefer' : 'Elektroschrott') : 'Parken' }));

  it('stores the weighted idf (β = 0 gives the plain idf) and records the recipe', () => {
    const plain = trainTextClassifier(rows, { termWeight: 0, refit: false });
    const weighted = trainTextClassifier(rows, { refit: false });
    const docs = rows.slice(0, plain.figures.trainRows).map((r) => extractFeatures(r.subject, r.text, plain.model.features, { district: r.district }));
    const idf = inverseDocumentFrequency(docs, plain.model.vocab);
    expect([...plain.model.idf!]).toEqual([...idf]);
    const ratio = [...weighted.model.idf!].map((v, j) => v / idf[j]!);
    expect(Math.min(...ratio)).toBeGreaterThanOrEqual(1 - 1e-6);
    expect(Math.max(...ratio)).toBeGreaterThan(1.5);
    expect(Math.max(...ratio)).toBeLessThanOrEqual(1 + 3 + 1e-6);
    expect(weighted.figures.recipe).toBe(TRAINING_RECIPE);
    expect(classifyWith(weighted.model, { subject: null, text: 'Sperrmüll und Matratze' }).top[0]!.category).toBe('abfall');
  });

  it('uses the fine labels when the rows carry them (and only in training)', () => {
    const withDetail = trainTextClassifier(rows, { refit: false }).model;
    const without = trainTextClassifier(rows.map(({ detail: _d, ...r }) => r), { refit: false }).model;
    expect([...withDetail.idf!]).not.toEqual([...without.idf!]);
    // false = always the categories, same as rows without details.
    const byCategory = trainTextClassifier(rows, { refit: false, termWeightFine: false }).model;
    expect([...byCategory.idf!]).toEqual([...without.idf!]);
  });
});
