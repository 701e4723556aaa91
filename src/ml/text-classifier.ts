/**
 * Calibrated text classifier with abstention: features (`features.ts`) → multinomial
 * logistic regression (`logistic.ts`) → temperature scaling (`calibration.ts`) →
 * per-category thresholds for a target precision (`thresholds.ts`).
 *
 * Training splits the rows by time (input order = time order): the earliest part fits the
 * model, the latest part calibrates, picks thresholds and yields the held-out figures. The
 * model may then be refitted on all rows with the same temperature and thresholds.
 *
 * @example
 * const { model, figures } = trainTextClassifier(rows);
 * classifyWith(model, { subject: null, text: 'Sperrmüll am Gehweg' }) // { category: 'abfall', … }
 */
import { applyIsotonic, fitIsotonic, fitTemperature, nllAt, type IsotonicMap } from './calibration.ts';
import { blendLinear, trainComplementNB } from './complement-nb.ts';
import { buildVocabulary, classConcentration, DEFAULT_FEATURES, inverseDocumentFrequency, extractFeatures, type FeatureSource, vectorize, type FeatureConfig, type SparseVector, type Vocabulary } from './features.ts';
import { DEFAULT_LOGISTIC, logits, softmax, trainLogistic, type LogisticModel, type LogisticOptions } from './logistic.ts';
import { accuracy, coverageAtPrecision, perClass, topK, type ClassFigures, type ScoredPrediction } from './metrics.ts';
import { chooseThresholds, NEVER } from './thresholds.ts';
import { fitLogitOffsets, fitPriorAdjustment } from './logit-adjust.ts';
import { timeSplit } from './split.ts';

export interface TrainingRow {
  id?: string;
  subject: string | null;
  text: string;
  category: string;
  /** Optional metadata known at intake (used only when the feature config names the field). */
  district?: string | null;
  /**
   * Optional finer label inside `category` (e.g. the portal subject a citizen picked, "Lärm -
   * Gaststätte"). Only used for the supervised term weights (`termWeightFine`) – never a
   * feature, never read when classifying.
   */
  detail?: string | null;
}

/** What is classified: subject, text and optional intake metadata. */
export interface ClassifyInput {
  subject?: string | null;
  text: string;
  district?: string | null;
}

const metaOf = (r: { district?: string | null }) => ({ district: r.district });

export interface TrainOptions {
  features: FeatureConfig;
  logistic: Partial<LogisticOptions>;
  /** Minimal document frequency of a feature. */
  minDf: number;
  /** Share of the newest rows held out for calibration, thresholds and figures. */
  heldOutShare: number;
  targetPrecision: number;
  /** Categories with fewer held-out predictions use the pooled threshold. */
  minSupport: number;
  /** Refit on all rows after calibration (default true). */
  refit: boolean;
  /**
   * Extra examples that are always trained on and never held out, e.g. phrases from the
   * category descriptions. They help rare categories and never inflate the held-out figures.
   */
  seedRows: TrainingRow[];
  /**
   * Per-class logit offsets tuned on the held-out part to maximise macro-F1 of the argmax
   * (logit adjustment; small classes are otherwise under-predicted). `true`/'prior' = one
   * parameter τ on −log prior, 'per-class' = one offset per class. Default false.
   */
  logitAdjust: boolean | 'prior' | 'per-class';
  /**
   * Blend with a complement naive Bayes: both are temperature-calibrated on the held-out
   * part and their log-probabilities averaged with the weight (from `nbWeights`) of least
   * held-out log-loss. The blend is again one linear model (same storage, same speed).
   */
  ensembleNB: boolean;
  nbWeights: number[];
  /** Additive smoothing of the complement naive Bayes. */
  nbAlpha: number;
  /**
   * β of the supervised term weight multiplied into the idf (`classConcentration`: features
   * whose documents concentrate in few classes weigh up to 1 + β; 0 = plain idf). Stored in the
   * model's idf vector – same size and speed.
   */
  termWeight: number;
  /**
   * The classes of the term weight: fine labels (`detail`) with at least this many fitting rows,
   * the rest (and rows without a detail) by their category; without any detail in the rows this
   * equals the categories. false = always the categories.
   */
  termWeightFine: number | false;
  /** Shrinks the term weight of rare features: factor df / (df + shrink) (0 = none). */
  termWeightShrink: number;
  /** Margin for the thresholds: the held-out precision minus z standard errors must reach the target (0 = plain). */
  thresholdZ: number;
  /** Number of regressions (different shuffling seeds) whose weights are averaged (1 = one). */
  bags: number;
  /**
   * Report as `confidence` the estimated precision of the predicted category at its score
   * (isotonic regression per predicted category on the held-out part, shrunk towards the
   * pooled map with this many pseudo-observations), so that one global confidence threshold
   * acts like per-category thresholds. false = the calibrated probability. Routing (thresholds)
   * always compares the probability.
   */
  precisionConfidence: number | false;
}

export const DEFAULT_TRAIN: TrainOptions = {
  features: DEFAULT_FEATURES,
  // Stronger L2 than the regression's own default, and recency emphasis (the newest row weighs
  // 1 + 3 = 4 times the oldest; topics drift) – both chosen on the development splits.
  logistic: { ...DEFAULT_LOGISTIC, l2: 3e-4, recency: 3 },
  minDf: 2,
  heldOutShare: 0.2,
  targetPrecision: 0.95,
  minSupport: 10,
  refit: true,
  seedRows: [],
  // Chosen on rolling development splits INSIDE the training part of the benchmark data
  // (docs/modules/triage.md): the blend raised accuracy and coverage without lowering
  // macro-F1; logit adjustment raised the tuned held-out macro-F1 but not on the next slice.
  logitAdjust: false,
  ensembleNB: true,
  nbWeights: [0, 0.1, 0.2, 0.3],
  nbAlpha: 0.3,
  // Supervised term weights (β = 3, from fine labels with ≥ 10 rows when the rows carry them) –
  // chosen on the rolling development splits (docs/modules/triage.md, session 4).
  termWeight: 3,
  termWeightFine: 10,
  termWeightShrink: 0,
  bags: 1,
  thresholdZ: 0,
  precisionConfidence: false,
};

/** Version of the training recipe (features, weights, model, calibration); stored with every model's figures. */
export const TRAINING_RECIPE = 'triage-recipe-4 (lr+cnb, tfidf x term-weight 3 over fine labels >= 10, recency 3)';

export interface HeldOutFigures {
  /** {@link TRAINING_RECIPE} of the run (absent in models trained before session 4). */
  recipe?: string;
  trainRows: number;
  heldOutRows: number;
  accuracy: number;
  macroF1: number;
  top3: number;
  /** Largest share routable at the target precision with one global threshold. */
  coverageAtTarget: number;
  /** Share routed with the chosen per-category thresholds, and precision among them. */
  expectedCoverage: number;
  expectedPrecision: number | null;
  targetPrecision: number;
  temperature: number;
  /** Weight of the complement naive Bayes in the blend (0 = regression only). */
  nbWeight: number;
  /** Per-class logit offsets (logit adjustment), by category; all 0 when off. */
  offsets: Record<string, number>;
  perClass: Record<string, ClassFigures>;
  refitted: boolean;
}

export interface TextClassifier {
  kind: 'logreg-v1';
  categories: string[];
  features: FeatureConfig;
  vocab: Vocabulary;
  /** Inverse document frequencies by column (only with `features.idf`). */
  idf?: Float32Array;
  model: LogisticModel;
  temperature: number;
  /** Per-class logit offsets added before the softmax (absent in older models = 0). */
  offsets?: number[];
  thresholds: Record<string, number>;
  globalThreshold: number;
  targetPrecision: number;
  /** With `precisionConfidence`: maps from probability to estimated precision (absent = confidence is the probability). */
  precision?: PrecisionMaps;
}

/** Fine classes: label (category, or category + U+0000 + detail) and category index per class. */
export interface FineLabels {
  labels: string[];
  group: number[];
}

const normDetail = (d: string | null | undefined) => (d ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The fine classes for `rows`: every (category, detail) with ≥ `min` rows, plus one class per
 * category for the remaining rows (only categories that have such rows). Sorted, deterministic.
 */
export function fineLabelSet(rows: TrainingRow[], categories: string[], min: number): FineLabels {
  const count = new Map<string, number>();
  for (const r of rows) {
    const d = normDetail(r.detail);
    if (d) count.set(`${r.category}\u0000${d}`, (count.get(`${r.category}\u0000${d}`) ?? 0) + 1);
  }
  const kept = new Set([...count].filter(([, n]) => n >= min).map(([k]) => k));
  const labels = new Set<string>();
  for (const r of rows) {
    const k = `${r.category}\u0000${normDetail(r.detail)}`;
    labels.add(kept.has(k) ? k : r.category);
  }
  const sorted = [...labels].sort();
  return { labels: sorted, group: sorted.map((l) => categories.indexOf(l.split('\u0000')[0]!)) };
}

/** Class index of a row under fine labels (its fine class, else its category's class). */
function fineIndex(index: Map<string, number>, r: TrainingRow): number {
  return index.get(`${r.category}\u0000${normDetail(r.detail)}`) ?? index.get(r.category)!;
}

/** Held-out precision of the predicted category as a function of its probability. */
export interface PrecisionMaps {
  pooled: IsotonicMap;
  byCategory: Record<string, { map: IsotonicMap; n: number }>;
  /** Shrinkage towards the pooled map (pseudo-observations). */
  k: number;
}

export interface Prediction {
  category: string | null;
  confidence: number;
  abstained: boolean;
  top: { category: string; score: number }[];
}

interface Fitted {
  vocab: Vocabulary;
  idf?: Float32Array;
  model: LogisticModel;
  nb: LogisticModel | null;
}

function fit(docs: string[][], rows: TrainingRow[], categories: string[], opts: TrainOptions): Fitted {
  const vocab = buildVocabulary(docs, opts.minDf);
  let idf = opts.features.idf ? inverseDocumentFrequency(docs, vocab) : undefined;
  const index = new Map(categories.map((c, i) => [c, i]));
  const ys = rows.map((r) => index.get(r.category)!);
  if (idf && opts.termWeight > 0) {
    // Concentration over the categories, or over fine labels (`termWeightFine` = their minimal count).
    const tf = opts.termWeightFine !== false ? fineLabelSet(rows, categories, opts.termWeightFine) : null;
    const tIndex = new Map((tf ? tf.labels : categories).map((c, i) => [c, i]));
    const tys = rows.map((r) => (tf ? fineIndex(tIndex, r) : tIndex.get(r.category)!));
    const tw = classConcentration(docs, tys, tIndex.size, vocab, opts.termWeight, opts.termWeightShrink);
    idf = idf.map((v, j) => v * tw[j]!);
  }
  const xs = docs.map((d) => vectorize(d, vocab, opts.features.extraWeight, idf));
  const K = categories.length;
  return {
    vocab,
    ...(idf ? { idf } : {}),
    model: trainBagged(xs, ys, vocab.size, K, opts),
    nb: opts.ensembleNB ? trainComplementNB(xs, ys, vocab.size, K, opts.nbAlpha) : null,
  };
}

function trainBagged(xs: SparseVector[], ys: number[], dims: number, K: number, opts: TrainOptions): LogisticModel {
  let m = trainLogistic(xs, ys, dims, K, opts.logistic);
  for (let b = 1; b < opts.bags; b++) {
    const other = trainLogistic(xs, ys, dims, K, { ...opts.logistic, seed: (opts.logistic.seed ?? 1) + b });
    m = blendLinear(m, b / (b + 1), other, 1 / (b + 1));
  }
  return m;
}

/** Blend coefficients (logit scale) of regression and naive Bayes. */
interface Blend {
  lr: number;
  nb: number;
  weight: number;
}

function chooseBlend(f: Fitted, heldX: SparseVector[], ys: number[], weights: number[]): Blend {
  if (!f.nb) return { lr: 1, nb: 0, weight: 0 };
  const zl = heldX.map((x) => logits(f.model, x));
  const zn = heldX.map((x) => logits(f.nb!, x));
  const tl = fitTemperature(zl, ys);
  const tn = fitTemperature(zn, ys);
  let best: Blend = { lr: 1, nb: 0, weight: 0 };
  let bestNll = Infinity;
  for (const w of weights) {
    // Averaging calibrated log-probabilities = adding scaled logits (the normaliser is a per-row constant).
    const z = zl.map((a, i) => a.map((v, k) => ((1 - w) * v) / tl + (w * zn[i]![k]!) / tn));
    const nll = nllAt(z, ys, 1);
    if (nll < bestNll - 1e-9) {
      bestNll = nll;
      best = { lr: (1 - w) / tl, nb: w / tn, weight: w };
    }
  }
  return best;
}

const blended = (f: Fitted, b: Blend): LogisticModel => (f.nb && b.nb > 0 ? blendLinear(f.model, b.lr, f.nb, b.nb) : f.model);

function vectorOf(m: TextClassifier, input: ClassifyInput): SparseVector {
  return vectorize(extractFeatures(input.subject, input.text ?? '', m.features, metaOf(input)), m.vocab, m.features.extraWeight, m.idf);
}

/** Trains, calibrates and evaluates on the newest `heldOutShare` of `rows` (in time order). */
export function trainTextClassifier(rows: TrainingRow[], options: Partial<TrainOptions> = {}): { model: TextClassifier; figures: HeldOutFigures } {
  const opts: TrainOptions = { ...DEFAULT_TRAIN, ...options, logistic: { ...DEFAULT_TRAIN.logistic, ...options.logistic } };
  if (rows.length < 10) throw new RangeError('At least 10 labelled rows are needed to train.');
  const seeds = opts.seedRows;
  const categories = [...new Set([...rows, ...seeds].map((r) => r.category))].sort();
  if (categories.length < 2) throw new RangeError('At least two categories are needed to train.');
  // Features are extracted once and shared by the first fit, the held-out scoring and the refit.
  const docs = rows.map((r) => extractFeatures(r.subject, r.text, opts.features, metaOf(r)));
  const split = timeSplit(rows.map((_, i) => i), 1 - opts.heldOutShare);
  const train = split.train.map((i) => rows[i]!);
  const test = split.test.map((i) => rows[i]!);
  const seedDocs = seeds.map((r) => extractFeatures(r.subject, r.text, opts.features, metaOf(r)));
  // Seeds go first: they are "older" than every real example.
  const first = fit([...seedDocs, ...split.train.map((i) => docs[i]!)], [...seeds, ...train], categories, opts);
  const index = new Map(categories.map((c, i) => [c, i]));
  const heldYs = test.map((r) => index.get(r.category)!);
  const heldX = split.test.map((i) => vectorize(docs[i]!, first.vocab, opts.features.extraWeight, first.idf));
  const blend = chooseBlend(first, heldX, heldYs, opts.nbWeights);
  const firstModel = blended(first, blend);
  const rawHeld = heldX.map((x) => logits(firstModel, x));
  // Class priors from the fitting part (seeds excluded).
  const priors = categories.map((c) => train.filter((r) => r.category === c).length / Math.max(1, train.length));
  const offsets =
    opts.logitAdjust === 'per-class'
      ? fitLogitOffsets(rawHeld, heldYs, categories.length)
      : opts.logitAdjust
        ? fitPriorAdjustment(rawHeld, heldYs, priors).offsets
        : new Float64Array(categories.length);
  const heldLogits = rawHeld.map((z) => z.map((v, k) => v + offsets[k]!));
  const temperature = fitTemperature(heldLogits, heldYs);
  const scored: ScoredPrediction[] = test.map((r, i) => {
    const p = softmax(heldLogits[i]!, temperature);
    const ranking = categories.map((c, k) => ({ c, s: p[k]! })).sort((a, b) => b.s - a.s);
    return { gold: r.category, predicted: ranking[0]!.c, confidence: ranking[0]!.s, ranking: ranking.map((x) => x.c) };
  });
  const choice = chooseThresholds(
    scored.map((s) => ({ predicted: s.predicted!, confidence: s.confidence, correct: s.predicted === s.gold })),
    categories,
    opts.targetPrecision,
    opts.minSupport,
    opts.thresholdZ,
  );
  const precision = opts.precisionConfidence !== false ? fitPrecisionMaps(scored, categories, opts.precisionConfidence) : undefined;
  const pc = perClass(scored);
  const figures: HeldOutFigures = {
    recipe: TRAINING_RECIPE,
    trainRows: train.length,
    heldOutRows: test.length,
    accuracy: accuracy(scored),
    macroF1: pc.macroF1,
    top3: topK(scored, 3),
    coverageAtTarget: coverageAtPrecision(scored, opts.targetPrecision).coverage,
    expectedCoverage: choice.expectedCoverage,
    expectedPrecision: choice.expectedPrecision,
    targetPrecision: opts.targetPrecision,
    temperature,
    nbWeight: blend.weight,
    offsets: Object.fromEntries(categories.map((c, k) => [c, offsets[k]!])),
    perClass: pc.classes,
    refitted: opts.refit,
  };
  const final = opts.refit ? fit([...seedDocs, ...docs], [...seeds, ...rows], categories, opts) : first;
  const finalModel = blended(final, blend);
  return {
    model: {
      kind: 'logreg-v1',
      categories,
      features: opts.features,
      vocab: final.vocab,
      ...(final.idf ? { idf: final.idf } : {}),
      model: finalModel,
      temperature,
      offsets: [...offsets],
      thresholds: choice.thresholds,
      globalThreshold: choice.global,
      targetPrecision: opts.targetPrecision,
      ...(precision ? { precision } : {}),
    },
    figures,
  };
}

export interface ClassifyWithOptions {
  /**
   * Apply the per-category thresholds (default true – what the mailroom routing does): below
   * its category's threshold the prediction abstains (category null). With false, every
   * classifiable message gets its best category (`lotse triage --batch` without `--abstain`);
   * only messages without any text still abstain.
   */
  abstain?: boolean;
}

/** The category's threshold of the model (the pooled one for categories without their own). */
export function thresholdOf(m: TextClassifier, category: string): number {
  return m.thresholds[category] ?? m.globalThreshold ?? NEVER;
}

/** True when the model's per-category threshold would route this prediction automatically. */
export function reachesThreshold(m: TextClassifier, p: Prediction): boolean {
  const best = p.top[0];
  return p.category !== null && !!best && best.score >= thresholdOf(m, best.category);
}

/** A message with neither subject nor text cannot be classified at all. */
export const isClassifiable = (input: ClassifyInput): boolean => !!(input.subject ?? '').trim() || !!(input.text ?? '').trim();

function fitPrecisionMaps(scored: ScoredPrediction[], categories: string[], k: number): PrecisionMaps {
  const fitOn = (items: ScoredPrediction[]) =>
    fitIsotonic(
      items.map((s) => s.confidence),
      items.map((s) => (s.predicted === s.gold ? 1 : 0)),
    );
  const byCategory: PrecisionMaps['byCategory'] = {};
  for (const c of categories) {
    const items = scored.filter((s) => s.predicted === c);
    if (items.length) byCategory[c] = { map: fitOn(items), n: items.length };
  }
  return { pooled: fitOn(scored), byCategory, k };
}

/**
 * Estimated precision of predicting `category` at probability `p` (shrunk towards the pooled
 * estimate); a tiny share of `p` keeps the order inside a step of the isotonic map.
 */
export function estimatedPrecision(maps: PrecisionMaps, category: string, p: number): number {
  const pooled = applyIsotonic(maps.pooled, p);
  const own = maps.byCategory[category];
  const est = own ? (own.n * applyIsotonic(own.map, p) + maps.k * pooled) / (own.n + maps.k) : pooled;
  return 0.999 * est + 0.001 * p;
}

/** Classifies one message; abstains (category null) below the category's threshold unless `abstain: false`. */
export function classifyWith(m: TextClassifier, input: ClassifyInput, opts: ClassifyWithOptions = {}): Prediction {
  const z = logits(m.model, vectorOf(m, input));
  if (m.offsets) for (let k = 0; k < z.length; k++) z[k]! += m.offsets[k] ?? 0;
  const p = softmax(z, m.temperature);
  const top = m.categories.map((c, k) => ({ category: c, score: p[k]! })).sort((a, b) => b.score - a.score || a.category.localeCompare(b.category));
  const best = top[0]!;
  const confidence = m.precision ? estimatedPrecision(m.precision, best.category, best.score) : best.score;
  if (opts.abstain === false) {
    // No text: nothing to classify, the ranking is only the prior – abstain with confidence 0.
    if (!isClassifiable(input)) return { category: null, confidence: 0, abstained: true, top };
    return { category: best.category, confidence, abstained: false, top };
  }
  const abstained = best.score < thresholdOf(m, best.category);
  return { category: abstained ? null : best.category, confidence, abstained, top };
}

/** One readable feature and its share of the decision (logit units after temperature). */
export interface Contribution {
  feature: string;
  kind: FeatureSource['kind'];
  weight: number;
}

/** Why a category was (or would be) chosen: features for it and against it, strongest first. */
export interface Explanation {
  category: string;
  /** Features that raise this category against the average of all categories. */
  features: Contribution[];
  /** Features that lower it most. */
  against: Contribution[];
}

/**
 * Explains the score of `category` (default: the top-ranked one) for one message. Each vocabulary
 * feature contributes x_j · (w_jc − mean_k w_jk) / T to the category's logit relative to the mean
 * logit; character n-grams, stems and bigrams are summed up per word/phrase they came from, so
 * the result names words of the message ("kuhlschrank +0.8"), the district or the text form.
 */
export function explainWith(m: TextClassifier, input: ClassifyInput, opts: { category?: string; k?: number } = {}): Explanation {
  const k = opts.k ?? 5;
  const sources: FeatureSource[] = [];
  const feats = extractFeatures(input.subject, input.text ?? '', m.features, metaOf(input), sources);
  const x = vectorize(feats, m.vocab, m.features.extraWeight, m.idf);
  const K = m.categories.length;
  let c = opts.category !== undefined ? m.categories.indexOf(opts.category) : -1;
  if (c < 0) {
    const z = logits(m.model, x);
    if (m.offsets) for (let j = 0; j < K; j++) z[j]! += m.offsets[j] ?? 0;
    c = 0;
    for (let j = 1; j < K; j++) if (z[j]! > z[c]! || (z[j] === z[c] && m.categories[j]!.localeCompare(m.categories[c]!) < 0)) c = j;
  }
  const contrib = new Map<number, number>();
  const W = m.model.weights;
  for (let i = 0; i < x.idx.length; i++) {
    const base = x.idx[i]! * K;
    let mean = 0;
    for (let j = 0; j < K; j++) mean += W[base + j]!;
    mean /= K;
    contrib.set(x.idx[i]!, (x.val[i]! * (W[base + c]! - mean)) / m.temperature);
  }
  const occurrences = new Map<number, number>();
  const cols = feats.map((f) => m.vocab.get(f));
  for (const j of cols) if (j !== undefined) occurrences.set(j, (occurrences.get(j) ?? 0) + 1);
  const byLabel = new Map<string, Contribution>();
  cols.forEach((j, i) => {
    if (j === undefined || !contrib.has(j)) return;
    const src = sources[i]!;
    const key = `${src.kind}\u0000${src.label}`;
    const entry = byLabel.get(key) ?? { feature: src.label, kind: src.kind, weight: 0 };
    entry.weight += contrib.get(j)! / occurrences.get(j)!;
    byLabel.set(key, entry);
  });
  const all = [...byLabel.values()].map((e) => ({ ...e, weight: Math.round(e.weight * 1000) / 1000 }));
  return {
    category: m.categories[c]!,
    features: all.filter((e) => e.weight > 0).sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature)).slice(0, k),
    against: all.filter((e) => e.weight < 0).sort((a, b) => a.weight - b.weight || a.feature.localeCompare(b.feature)).slice(0, Math.min(3, k)),
  };
}

/** JSON-safe form for storage (weights as base64 Float32). */
export interface SerializedClassifier {
  kind: 'logreg-v1';
  categories: string[];
  features: FeatureConfig;
  vocab: string[];
  dims: number;
  weights: string;
  idf?: string;
  bias: number[];
  temperature: number;
  offsets?: number[];
  thresholds: Record<string, number>;
  globalThreshold: number;
  targetPrecision: number;
  precision?: PrecisionMaps;
}

const f32ToBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function base64ToF32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function serializeClassifier(m: TextClassifier): SerializedClassifier {
  const vocab = new Array<string>(m.vocab.size);
  for (const [f, j] of m.vocab) vocab[j] = f;
  return {
    kind: m.kind,
    categories: m.categories,
    features: m.features,
    vocab,
    dims: m.model.dims,
    weights: f32ToBase64(m.model.weights),
    bias: [...m.model.bias],
    ...(m.idf ? { idf: f32ToBase64(m.idf) } : {}),
    temperature: m.temperature,
    ...(m.offsets ? { offsets: m.offsets } : {}),
    thresholds: m.thresholds,
    globalThreshold: m.globalThreshold,
    targetPrecision: m.targetPrecision,
    ...(m.precision ? { precision: m.precision } : {}),
  };
}

export function deserializeClassifier(s: SerializedClassifier): TextClassifier {
  if (s.kind !== 'logreg-v1') throw new Error(`Unknown model kind ${String(s.kind)}`);
  const weights = base64ToF32(s.weights);
  return {
    kind: s.kind,
    categories: s.categories,
    features: s.features,
    vocab: new Map(s.vocab.map((f, j) => [f, j])),
    ...(s.idf ? { idf: base64ToF32(s.idf) } : {}),
    model: { dims: s.dims, classes: s.categories.length, weights, bias: Float32Array.from(s.bias) },
    temperature: s.temperature,
    ...(s.offsets ? { offsets: s.offsets } : {}),
    thresholds: Object.fromEntries(Object.entries(s.thresholds).map(([k, v]) => [k, v ?? NEVER])),
    globalThreshold: s.globalThreshold,
    targetPrecision: s.targetPrecision,
    ...(s.precision ? { precision: s.precision } : {}),
  };
}

/** Overrides thresholds for another target precision is not possible after training; this re-applies a fixed one. */
export function withUniformThreshold(m: TextClassifier, threshold: number): TextClassifier {
  return { ...m, thresholds: Object.fromEntries(m.categories.map((c) => [c, threshold])), globalThreshold: threshold };
}
