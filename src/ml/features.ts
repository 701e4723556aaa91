/**
 * Sparse text features for the linear classifiers: stemmed word unigrams and bigrams plus
 * character n-grams of the folded words (they catch German compounds and misspellings:
 * "Sperrmüllhaufen", "Kühlschrank"/"Kuehlschrank"). Personal data is masked first. Uses the shared German analyser of
 * `src/text/` (folding via `tokenize`, Snowball stems via `stem`).
 */
import { tokenize } from '../text/normalize.ts';
import { redactPII } from '../text/pii.ts';
import { stem } from '../text/stem.ts';

export interface FeatureConfig {
  /** Character n-gram lengths (inclusive). */
  charMin: number;
  charMax: number;
  wordBigrams: boolean;
  /** Subject words get an extra `s:` feature (a subject line says more than a body word). */
  subjectFeatures: boolean;
  /**
   * Mask personal data (`redactPII`) before extracting features, so names, addresses and
   * plates never become vocabulary entries stored with the model. Absent in old models = off.
   */
  redact?: boolean;
  /**
   * Message metadata known at intake (e.g. the district a portal report was filed for) as
   * `m:<field>=<value>` features, and form features of the raw text (`f:` – leading blank,
   * line breaks, length band). They are not part of the text's L2 norm but get the fixed
   * value `extraWeight`. Absent in old models = off.
   */
  metaFields?: string[];
  formFeatures?: boolean;
  extraWeight?: number;
  /** Multiply term weights by the inverse document frequency of the fitting data (stored with the model). */
  idf?: boolean;
}

/** Metadata of a message besides subject and text (all optional). */
export type MessageMeta = Record<string, string | null | undefined>;

// metaFields/formFeatures/extraWeight/idf chosen on rolling development splits inside the
// training part of the benchmark data only (docs/modules/triage.md).
export const DEFAULT_FEATURES: FeatureConfig = {
  charMin: 3,
  charMax: 5,
  wordBigrams: true,
  subjectFeatures: true,
  redact: true,
  metaFields: ['district'],
  formFeatures: true,
  extraWeight: 0.2,
  idf: true,
};

/** Readable source of a feature for explanations: the (folded) word, phrase or metadata it came from. */
export interface FeatureSource {
  kind: 'word' | 'phrase' | 'subject' | 'meta' | 'form';
  label: string;
}

const FORM_LABELS: Record<string, string> = {
  'f:lead': 'Text beginnt mit Leerzeichen',
  'f:lines': 'Text hat mehrere Zeilen',
  'f:len0': 'sehr kurzer Text (< 30 Zeichen)',
  'f:len1': 'kurzer Text (30–99 Zeichen)',
  'f:len2': 'mittellanger Text (100–299 Zeichen)',
  'f:len3': 'langer Text (≥ 300 Zeichen)',
};

/**
 * Feature strings (with repetitions = counts) of one message. With `sources`, the readable
 * origin of every feature is pushed in parallel (same index) – used by explanations only.
 */
export function extractFeatures(
  subject: string | null | undefined,
  text: string,
  cfg: FeatureConfig = DEFAULT_FEATURES,
  meta: MessageMeta = {},
  sources?: FeatureSource[],
): string[] {
  const out: string[] = [];
  const push = (f: string, kind: FeatureSource['kind'], label: string) => {
    out.push(f);
    sources?.push({ kind, label });
  };
  for (const field of cfg.metaFields ?? []) {
    const v = meta[field];
    if (v && v.trim()) push(`m:${field}=${tokenize(v).join('_')}`, 'meta', `${field}: ${v.trim()}`);
  }
  if (cfg.formFeatures) {
    const raw = text ?? '';
    const form = (f: string) => push(f, 'form', FORM_LABELS[f]!);
    if (/^\s/.test(raw)) form('f:lead');
    if (/\n/.test(raw.trim())) form('f:lines');
    const len = raw.trim().length;
    form(len < 30 ? 'f:len0' : len < 100 ? 'f:len1' : len < 300 ? 'f:len2' : 'f:len3');
  }
  const addWords = (tokens: string[], prefix: string, kind: 'word' | 'subject') => {
    const stems = tokens.map((t) => stem(t));
    for (let i = 0; i < stems.length; i++) push(prefix + stems[i], kind, tokens[i]!);
    if (cfg.wordBigrams)
      for (let i = 0; i + 1 < stems.length; i++)
        push(`${prefix}b:${stems[i]}_${stems[i + 1]}`, kind === 'word' ? 'phrase' : kind, `${tokens[i]} ${tokens[i + 1]}`);
  };
  const body = tokenize(cfg.redact ? redactPII(text ?? '').text : (text ?? ''));
  const subj = subject ? tokenize(cfg.redact ? redactPII(subject).text : subject) : [];
  const all = subj.length ? [...subj, ...body] : body;
  addWords(all, 'w:', 'word');
  if (cfg.subjectFeatures && subj.length) addWords(subj, 's:', 'subject');
  for (const t of all) {
    const w = `<${t}>`;
    for (let n = cfg.charMin; n <= cfg.charMax; n++) {
      if (w.length < n) break;
      for (let i = 0; i + n <= w.length; i++) push('c:' + w.slice(i, i + n), 'word', t);
    }
  }
  return out;
}

/** A sparse, L2-normalised vector (parallel arrays, indices ascending). */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** Feature string → column index. */
export type Vocabulary = Map<string, number>;

/** Smoothed inverse document frequency ln((1 + N) / (1 + df)) + 1 per vocabulary column. */
export function inverseDocumentFrequency(docs: string[][], vocab: Vocabulary): Float32Array {
  const df = new Float32Array(vocab.size);
  for (const d of docs)
    for (const f of new Set(d)) {
      const j = vocab.get(f);
      if (j !== undefined) df[j]!++;
    }
  const idf = new Float32Array(vocab.size);
  for (let j = 0; j < idf.length; j++) idf[j] = Math.log((1 + docs.length) / (1 + df[j]!)) + 1;
  return idf;
}

/**
 * Supervised term weight per vocabulary column: 1 + β · (1 − H_j / ln K), where H_j is the
 * entropy of the class distribution of the documents containing feature j (class-balanced:
 * document counts divided by class size, add-one smoothed). Features concentrated in one class
 * weigh up to 1 + β, features spread over all classes 1. Multiplied into the idf.
 */
export function classConcentration(docs: string[][], ys: number[], classes: number, vocab: Vocabulary, beta: number, shrink = 0): Float32Array {
  const K = classes;
  const df = new Float64Array(vocab.size * K);
  const size = new Float64Array(K);
  docs.forEach((d, n) => {
    const y = ys[n]!;
    size[y]!++;
    for (const f of new Set(d)) {
      const j = vocab.get(f);
      if (j !== undefined) df[j * K + y]!++;
    }
  });
  const out = new Float32Array(vocab.size);
  const lnK = Math.log(K);
  const p = new Float64Array(K);
  for (let j = 0; j < vocab.size; j++) {
    let sum = 0;
    for (let k = 0; k < K; k++) {
      p[k] = size[k] ? (df[j * K + k]! + 1) / (size[k]! + 2) : 0;
      sum += p[k]!;
    }
    let h = 0;
    let n = 0;
    for (let k = 0; k < K; k++) {
      if (p[k]! > 0) h -= (p[k]! / sum) * Math.log(p[k]! / sum);
      n += df[j * K + k]!;
    }
    out[j] = 1 + beta * (1 - h / lnK) * (shrink > 0 ? n / (n + shrink) : 1);
  }
  return out;
}

/** Builds a vocabulary of features occurring in at least `minDf` documents. */
export function buildVocabulary(docs: string[][], minDf = 2): Vocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of new Set(d)) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab: Vocabulary = new Map();
  for (const [f, n] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n >= minDf) vocab.set(f, vocab.size);
  return vocab;
}

const isExtra = (f: string) => f.startsWith('m:') || f.startsWith('f:');

/**
 * Sublinear term frequency (1 + ln tf), L2-normalised; unknown features are dropped.
 * With `extraWeight`, metadata/form features (`m:`, `f:`) stay outside the norm and get that value.
 */
export function vectorize(features: string[], vocab: Vocabulary, extraWeight?: number, idf?: ArrayLike<number>): SparseVector {
  const counts = new Map<number, number>();
  const extra = new Set<number>();
  for (const f of features) {
    const j = vocab.get(f);
    if (j === undefined) continue;
    if (extraWeight !== undefined && isExtra(f)) extra.add(j);
    else counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  const idx = Int32Array.from([...counts.keys(), ...extra].sort((a, b) => a - b));
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let i = 0; i < idx.length; i++) {
    const c = counts.get(idx[i]!);
    if (c === undefined) continue;
    const v = (1 + Math.log(c)) * (idf ? idf[idx[i]!]! : 1);
    val[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < val.length; i++) val[i] = counts.has(idx[i]!) ? val[i]! / norm : extraWeight!;
  return { idx, val };
}
