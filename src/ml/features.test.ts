import { describe, expect, it } from 'vitest';
import { buildVocabulary, DEFAULT_FEATURES, extractFeatures, inverseDocumentFrequency, vectorize } from './features.ts';
import { thresholdForPrecision } from './thresholds.ts';
import { classifyWith, deserializeClassifier, serializeClassifier, trainTextClassifier, type TrainingRow } from './text-classifier.ts';

describe('metadata and form features', () => {
  it('adds the district and the form of the raw text only when configured', () => {
    const f = extractFeatures(null, ' Sperrmüll\nam Gehweg', DEFAULT_FEATURES, { district: 'Neukölln' });
    expect(f).toContain('m:district=neukolln');
    expect(f).toContain('f:lead');
    expect(f).toContain('f:lines');
    expect(f).toContain('f:len0');
    const plain = extractFeatures(
      null,
      ' Sperrmüll\nam Gehweg',
      { charMin: 3, charMax: 5, wordBigrams: true, subjectFeatures: true, redact: true },
      { district: 'Neukölln' },
    );
    expect(plain.some((x) => x.startsWith('m:') || x.startsWith('f:'))).toBe(false);
    expect(extractFeatures(null, 'x', DEFAULT_FEATURES, { district: '  ' }).some((x) => x.startsWith('m:'))).toBe(false);
  });

  it('keeps metadata outside the text norm with a fixed value and weights terms by idf', () => {
    const docs = [
      ['w:a', 'w:b', 'm:district=x'],
      ['w:a', 'w:c'],
      ['w:a', 'w:b'],
    ];
    const vocab = buildVocabulary(docs, 1);
    const v = vectorize(['w:a', 'w:b', 'm:district=x'], vocab, 0.2);
    const m = v.idx.indexOf(vocab.get('m:district=x')!);
    expect(v.val[m]).toBeCloseTo(0.2, 6);
    const textNorm = Math.hypot(...[...v.val].filter((_, i) => i !== m));
    expect(textNorm).toBeCloseTo(1, 5);
    const idf = inverseDocumentFrequency(docs, vocab);
    expect(idf[vocab.get('w:a')!]).toBeCloseTo(1, 6); // in every document
    expect(idf[vocab.get('w:c')!]!).toBeGreaterThan(idf[vocab.get('w:b')!]!);
    const w = vectorize(['w:a', 'w:c'], vocab, 0.2, idf);
    expect(w.val[w.idx.indexOf(vocab.get('w:c')!)]!).toBeGreaterThan(w.val[w.idx.indexOf(vocab.get('w:a')!)]!);
  });

  it('a trained model uses the district, stores idf and round-trips', () => {
    const rows: TrainingRow[] = [];
    // Same text, two districts, two categories: only the district separates them.
    for (let i = 0; i < 40; i++)
      rows.push({ subject: null, text: `Meldung Nummer ${i % 5}`, category: i % 2 ? 'a' : 'b', district: i % 2 ? 'Nord' : 'Süd' });
    const { model } = trainTextClassifier(rows, { ensembleNB: false });
    expect(model.idf).toBeInstanceOf(Float32Array);
    expect(classifyWith(model, { text: 'Meldung Nummer 1', district: 'Nord' }).top[0]!.category).toBe('a');
    expect(classifyWith(model, { text: 'Meldung Nummer 1', district: 'Süd' }).top[0]!.category).toBe('b');
    const back = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(model))));
    expect(back.idf).toEqual(model.idf);
    expect(classifyWith(back, { text: 'Meldung Nummer 3', district: 'Nord' })).toEqual(
      classifyWith(model, { text: 'Meldung Nummer 3', district: 'Nord' }),
    );
  });

  it('averaging several regressions (bags) still trains a usable model', () => {
    const rows: TrainingRow[] = [];
    for (let i = 0; i < 60; i++)
      rows.push({ subject: null, text: i % 2 ? 'laute Musik nachts' : 'Sperrmüll am Gehweg', category: i % 2 ? 'laerm' : 'abfall' });
    const { model } = trainTextClassifier(rows, { bags: 3 });
    expect(classifyWith(model, { text: 'Musik' }).top[0]!.category).toBe('laerm');
  });
});

describe('thresholds with a safety margin', () => {
  it('z > 0 needs more evidence above the target precision', () => {
    const items = [
      ...Array.from({ length: 19 }, (_, i) => ({ confidence: 0.99 - i * 0.01, correct: true })),
      { confidence: 0.8, correct: false },
      { confidence: 0.79, correct: true },
    ];
    expect(thresholdForPrecision(items, 0.9)).toBe(0.79);
    expect(thresholdForPrecision(items, 0.9, 1)).toBeGreaterThan(0.79);
  });
});
