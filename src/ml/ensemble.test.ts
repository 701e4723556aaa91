import { describe, expect, it } from 'vitest';
import { blendLinear, trainComplementNB } from './complement-nb.ts';
import { buildVocabulary, extractFeatures, vectorize } from './features.ts';
import { fitLogitOffsets, fitPriorAdjustment, macroF1WithOffsets } from './logit-adjust.ts';
import { logits } from './logistic.ts';
import { classifyWith, deserializeClassifier, serializeClassifier, trainTextClassifier, type TrainingRow } from './text-classifier.ts';

const texts: Record<string, string[]> = {
  abfall: ['Sperrmüll am Gehweg', 'Matratze abgestellt', 'Müllsäcke neben der Tonne', 'altes Sofa auf dem Bürgersteig'],
  parken: ['Falschparker in der Einfahrt', 'Gehweg zugeparkt', 'parkt im Halteverbot', 'Auto in der Feuerwehrzufahrt'],
  laerm: ['laute Musik nachts', 'Partylärm am Wochenende'],
};

describe('complement naive Bayes', () => {
  it('scores the right class highest, also for a small class', () => {
    const docs: string[][] = [];
    const ys: number[] = [];
    const cats = Object.keys(texts);
    for (let r = 0; r < 5; r++)
      cats.forEach((c, k) => {
        for (const t of texts[c]!) {
          docs.push(extractFeatures(null, t));
          ys.push(k);
        }
      });
    const vocab = buildVocabulary(docs, 1);
    const nb = trainComplementNB(
      docs.map((d) => vectorize(d, vocab)),
      ys,
      vocab.size,
      cats.length,
    );
    const argmax = (t: string) => {
      const z = logits(nb, vectorize(extractFeatures(null, t), vocab));
      return cats[z.indexOf(Math.max(...z))];
    };
    expect(argmax('Sperrmüll und Matratze')).toBe('abfall');
    expect(argmax('Falschparker zugeparkt')).toBe('parken');
    expect(argmax('laute Musik')).toBe('laerm');
    expect(Number.isFinite(nb.weights[0]!)).toBe(true);
  });
  it('blends two linear models by weighted logits', () => {
    const a = { dims: 1, classes: 2, weights: Float32Array.from([1, 2]), bias: Float32Array.from([0, 1]) };
    const b = { dims: 1, classes: 2, weights: Float32Array.from([3, 0]), bias: Float32Array.from([1, 0]) };
    const m = blendLinear(a, 0.5, b, 2);
    expect([...m.weights]).toEqual([6.5, 1]);
    expect([...m.bias]).toEqual([2, 0.5]);
  });
});

describe('logit adjustment', () => {
  // Class 1 is always slightly behind: an offset makes it win its own examples.
  const rows = [
    [1, 0.8],
    [1, 0.7],
    [1, -1],
    [1, -2],
  ];
  const ys = [1, 1, 0, 0];
  it('finds offsets that raise held-out macro-F1 and keeps zeros when nothing helps', () => {
    expect(macroF1WithOffsets(rows, ys, 2, [0, 0])).toBeLessThan(1);
    const off = fitLogitOffsets(rows, ys, 2);
    expect(macroF1WithOffsets(rows, ys, 2, off)).toBe(1);
    expect([...fitLogitOffsets([[2, 0], [0, 2]], [0, 1], 2)]).toEqual([0, 0]);
  });
  it('fits one τ on the class priors', () => {
    const { tau, offsets } = fitPriorAdjustment(rows, ys, [0.9, 0.1]);
    expect(tau).toBeGreaterThan(0);
    expect(offsets[1]!).toBeGreaterThan(offsets[0]!);
    expect(fitPriorAdjustment([[2, 0], [0, 2]], [0, 1], [0.5, 0.5]).tau).toBe(0);
  });
});

describe('text classifier with the ensemble and offsets', () => {
  const rows: TrainingRow[] = [];
  for (let i = 0; i < 120; i++) {
    const cats = Object.keys(texts);
    const c = cats[i % 5 === 4 ? 2 : i % 2]!;
    rows.push({ subject: null, text: `${texts[c]![i % texts[c]!.length]} seit ${i % 7} Tagen`, category: c });
  }
  it('reports the blend weight and offsets and round-trips through serialisation', () => {
    for (const logitAdjust of [false, 'per-class', 'prior'] as const) {
      const { model, figures } = trainTextClassifier(rows, { logitAdjust });
      expect(figures.nbWeight).toBeGreaterThanOrEqual(0);
      expect(Object.keys(figures.offsets)).toEqual(model.categories);
      const p = classifyWith(model, { text: 'Sperrmüll am Gehweg' });
      expect(p.top[0]!.category).toBe('abfall');
      const back = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(model))));
      expect(classifyWith(back, { text: 'Sperrmüll am Gehweg' })).toEqual(p);
    }
  });
  it('can be switched off (regression only)', () => {
    const { figures } = trainTextClassifier(rows, { ensembleNB: false });
    expect(figures.nbWeight).toBe(0);
  });
});
