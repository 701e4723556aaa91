import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic, fitTemperature, nllAt } from './calibration.ts';
import { buildVocabulary, extractFeatures, vectorize } from './features.ts';
import { logits, seededRandom, softmax, trainLogistic } from './logistic.ts';
import { accuracy, coverageAtPrecision, macroF1, perClass, precisionCoverageCurve, routing, topK, type ScoredPrediction } from './metrics.ts';
import { timeSplit } from './split.ts';
import { chooseThresholds, NEVER, thresholdForPrecision } from './thresholds.ts';
import { classifyWith, deserializeClassifier, estimatedPrecision, reachesThreshold, serializeClassifier, trainTextClassifier, withUniformThreshold, type TrainingRow } from './text-classifier.ts';

describe('features', () => {
  it('produces stemmed words, bigrams and folded char n-grams', () => {
    const f = extractFeatures('Sperrmüll', 'Kühlschränke am Gehweg');
    expect(f).toContain('s:sperrmull');
    expect(f.some((x) => x.startsWith('w:b:'))).toBe(true);
    expect(f).toContain('c:<ku');
    expect(extractFeatures(null, 'Kuehlschrank')).toEqual(extractFeatures(null, 'Kühlschrank'));
  });
  it('vectorizes to unit length and drops unknown features', () => {
    const vocab = buildVocabulary([['a', 'b'], ['a', 'c']], 1);
    const v = vectorize(['a', 'a', 'b', 'zzz'], vocab);
    expect([...v.idx]).toEqual([0, 1]);
    const norm = Math.hypot(...v.val);
    expect(norm).toBeCloseTo(1, 5);
    expect(v.val[0]!).toBeGreaterThan(v.val[1]!);
    expect(buildVocabulary([['a', 'b'], ['a', 'c']], 2).size).toBe(1);
  });
});

describe('logistic regression', () => {
  it('learns a linearly separable toy set', () => {
    const rnd = seededRandom(7);
    const xs: { idx: Int32Array; val: Float32Array }[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 200; i++) {
      const y = i % 3;
      const noise = Math.floor(rnd() * 3) + 3;
      xs.push({ idx: Int32Array.from([y, noise]), val: Float32Array.from([0.8, 0.6]) });
      ys.push(y);
    }
    const m = trainLogistic(xs, ys, 6, 3, { epochs: 10 });
    let ok = 0;
    xs.forEach((x, i) => {
      const p = softmax(logits(m, x));
      if (p.indexOf(Math.max(...p)) === ys[i]) ok++;
    });
    expect(ok).toBe(200);
  });
  it('softmax sums to 1 and higher temperature flattens', () => {
    const p = softmax([2, 1, 0]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(softmax([2, 1, 0], 3)[0]!).toBeLessThan(p[0]!);
  });
});

describe('calibration', () => {
  it('temperature scaling cools an over-confident model', () => {
    // Logits say 99 % but the label is right only 70 % of the time.
    const rows: number[][] = [];
    const ys: number[] = [];
    for (let i = 0; i < 100; i++) {
      rows.push([5, 0]);
      ys.push(i < 70 ? 0 : 1);
    }
    const t = fitTemperature(rows, ys);
    expect(t).toBeGreaterThan(1.5);
    expect(softmax([5, 0], t)[0]!).toBeCloseTo(0.7, 1);
    expect(nllAt(rows, ys, t)).toBeLessThan(nllAt(rows, ys, 1));
  });
  it('property: isotonic map is monotone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 60 }), (pairs) => {
        const m = fitIsotonic(
          pairs.map((p) => p[0]),
          pairs.map((p) => (p[1] ? 1 : 0)),
        );
        for (let i = 1; i < m.y.length; i++) if (m.y[i]! < m.y[i - 1]!) return false;
        let prev = -1;
        for (let x = 0; x <= 1; x += 0.05) {
          const v = applyIsotonic(m, x);
          if (v < prev) return false;
          prev = v;
        }
        return true;
      }),
    );
  });
});

describe('thresholds', () => {
  it('reach the target precision on synthetic data', () => {
    // Correctness probability equals confidence, so high-confidence items are cleaner.
    const rnd = seededRandom(3);
    const items = Array.from({ length: 2000 }, (_, i) => {
      const confidence = rnd();
      return { predicted: i % 2 ? 'a' : 'b', confidence, correct: rnd() < confidence };
    });
    const choice = chooseThresholds(items, ['a', 'b', 'c'], 0.95);
    for (const c of ['a', 'b']) {
      const routed = items.filter((i) => i.predicted === c && i.confidence >= choice.thresholds[c]!);
      expect(routed.filter((i) => i.correct).length / routed.length).toBeGreaterThanOrEqual(0.95);
      expect(routed.length).toBeGreaterThan(50);
    }
    expect(choice.thresholds.c).toBe(choice.global);
    expect(choice.expectedPrecision!).toBeGreaterThanOrEqual(0.95);
  });
  it('never routes when the target cannot be met', () => {
    expect(thresholdForPrecision([{ confidence: 0.9, correct: false }], 0.95)).toBe(NEVER);
  });
});

describe('metrics and split', () => {
  const items: ScoredPrediction[] = [
    { gold: 'a', predicted: 'a', confidence: 0.9, ranking: ['a', 'b'] },
    { gold: 'a', predicted: 'b', confidence: 0.8, ranking: ['b', 'a'] },
    { gold: 'b', predicted: 'b', confidence: 0.7, ranking: ['b', 'a'] },
    { gold: 'b', predicted: null, confidence: 0.3, ranking: ['a', 'b'] },
  ];
  it('computes accuracy, macro-F1, top-k, routing', () => {
    expect(accuracy(items)).toBe(0.5);
    // a: P 1, R 0.5 → 2/3; b: P 0.5, R 0.5 → 0.5
    expect(macroF1(items)).toBeCloseTo((2 / 3 + 0.5) / 2, 10);
    expect(perClass(items).classes.b!.predicted).toBe(2);
    expect(topK(items, 1)).toBe(0.5);
    expect(topK(items, 2)).toBe(1);
    expect(routing(items)).toEqual({ coverage: 0.75, precision: 2 / 3 });
  });
  it('computes the precision–coverage curve', () => {
    const curve = precisionCoverageCurve(items);
    expect(curve.map((p) => p.coverage)).toEqual([0.25, 0.5, 0.75]);
    expect(coverageAtPrecision(items, 0.95)).toEqual({ threshold: 0.9, coverage: 0.25, precision: 1 });
  });
  it('splits by time, never mixing newer rows into train', () => {
    const rows = [{ d: '2024-01-03' }, { d: '2024-01-01' }, { d: '2024-01-02' }, { d: '2024-01-04' }, { d: '2024-01-05' }];
    const { train, test } = timeSplit(rows, 0.8, (r) => r.d);
    expect(train.map((r) => r.d)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);
    expect(test.map((r) => r.d)).toEqual(['2024-01-05']);
    expect(timeSplit([1, 2, 3, 4, 5], 0.6)).toEqual({ train: [1, 2, 3], test: [4, 5] });
  });
});

describe('text classifier', () => {
  const vocab: Record<string, string[]> = {
    abfall: ['Sperrmüll', 'Matratze', 'Müllsäcke', 'Sofa', 'Hausmüll'],
    parken: ['Falschparker', 'Gehweg zugeparkt', 'Halteverbot', 'parkt in Einfahrt', 'Feuerwehrzufahrt'],
    laerm: ['laute Musik', 'Lärm nachts', 'Party Lärm', 'Hund bellt laut', 'Baulärm sonntags'],
  };
  const rows: TrainingRow[] = [];
  for (let i = 0; i < 150; i++) {
    const cats = Object.keys(vocab);
    const c = cats[i % 3]!;
    rows.push({ id: String(i), subject: null, text: `${vocab[c]![i % 5]} in der Straße seit Tagen ${i % 7}`, category: c });
  }
  it('trains, calibrates, classifies and round-trips through serialisation', () => {
    const { model, figures } = trainTextClassifier(rows);
    expect(figures.heldOutRows).toBe(30);
    expect(figures.accuracy).toBe(1);
    const p = classifyWith(model, { text: 'Sperrmüll und eine Matratze' });
    expect(p.top[0]!.category).toBe('abfall');
    expect(p.top).toHaveLength(3);
    const back = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(model))));
    expect(classifyWith(back, { text: 'Sperrmüll und eine Matratze' })).toEqual(p);
  });
  it('abstains below the threshold', () => {
    const { model } = trainTextClassifier(rows);
    const strict = { ...model, thresholds: { abfall: NEVER, parken: NEVER, laerm: NEVER } };
    const p = classifyWith(strict, { text: 'Sperrmüll' });
    expect(p).toMatchObject({ category: null, abstained: true });
    expect(p.confidence).toBeGreaterThan(0);
    expect(reachesThreshold(strict, p)).toBe(false);
  });
  it('with abstain: false gives every message with text its best category, same confidence', () => {
    const { model } = trainTextClassifier(rows);
    const strict = { ...model, thresholds: { abfall: NEVER, parken: NEVER, laerm: NEVER } };
    const routed = classifyWith(strict, { text: 'Sperrmüll' }, { abstain: false });
    expect(routed).toMatchObject({ category: 'abfall', abstained: false });
    expect(routed.confidence).toBe(classifyWith(strict, { text: 'Sperrmüll' }).confidence);
    expect(reachesThreshold(strict, routed)).toBe(false);
    const open = withUniformThreshold(model, 0);
    expect(reachesThreshold(open, classifyWith(open, { text: 'Sperrmüll' }, { abstain: false }))).toBe(true);
    // Nothing to classify: abstains in both modes.
    const empty = classifyWith(open, { subject: null, text: '  ' }, { abstain: false });
    expect(empty).toMatchObject({ category: null, abstained: true, confidence: 0 });
    expect(empty.top).toHaveLength(3);
  });
});

describe('precision confidence (option, off by default)', () => {
  it('reports the estimated held-out precision of the predicted category, monotone in the score, and round-trips', () => {
    const rows: TrainingRow[] = [];
    const words = { a: ['Sperrmüll', 'Matratze', 'Sofa'], b: ['Falschparker', 'Halteverbot', 'Einfahrt'] };
    for (let i = 0; i < 120; i++) {
      const c = i % 2 ? 'a' : 'b';
      // Every fifth row carries the other class's word: some held-out predictions are wrong.
      const w = words[(i % 5 === 0 ? (c === 'a' ? 'b' : 'a') : c) as 'a' | 'b'][i % 3]!;
      rows.push({ id: String(i), subject: null, text: `${w} seit ${i % 4} Tagen`, category: c });
    }
    const { model } = trainTextClassifier(rows, { precisionConfidence: 30 });
    expect(model.precision?.k).toBe(30);
    const maps = model.precision!;
    let last = -1;
    for (const p of [0.3, 0.5, 0.7, 0.9, 0.99]) {
      const e = estimatedPrecision(maps, 'a', p);
      expect(e).toBeGreaterThanOrEqual(last);
      expect(e).toBeLessThanOrEqual(1);
      last = e;
    }
    const p = classifyWith(model, { text: 'Sperrmüll' });
    expect(p.confidence).toBeCloseTo(estimatedPrecision(maps, p.top[0]!.category, p.top[0]!.score), 12);
    const back = deserializeClassifier(JSON.parse(JSON.stringify(serializeClassifier(model))));
    expect(classifyWith(back, { text: 'Sperrmüll' })).toEqual(p);
  });
});

describe('privacy of the stored vocabulary', () => {
  it('masks personal data before features are extracted', () => {
    const f = extractFeatures(null, 'Herr Klaus Meyer parkt NOM-AB 123 vor Mühlenstraße 3');
    expect(f.some((x) => x.includes('meyer') || x.includes('muhlenstr'))).toBe(false);
    expect(f).toContain('w:adress');
  });
});

describe('seed rows', () => {
  it('are trained on but never held out, and may add categories', () => {
    const rows: TrainingRow[] = Array.from({ length: 50 }, (_, i) => ({ subject: null, text: i % 2 ? 'Sperrmüll am Gehweg' : 'Falschparker in der Einfahrt', category: i % 2 ? 'abfall' : 'parken' }));
    const seedRows: TrainingRow[] = [
      { subject: null, text: 'Lärm laute Musik Ruhestörung', category: 'laerm' },
      { subject: null, text: 'Baulärm Partylärm', category: 'laerm' },
    ];
    const { model, figures } = trainTextClassifier(rows, { seedRows });
    expect(figures.heldOutRows).toBe(10);
    expect(figures.trainRows).toBe(40);
    expect(model.categories).toEqual(['abfall', 'laerm', 'parken']);
    expect(classifyWith(model, { text: 'laute Musik' }).top[0]!.category).toBe('laerm');
  });
});
