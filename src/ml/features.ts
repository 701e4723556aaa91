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
}

export const DEFAULT_FEATURES: FeatureConfig = { charMin: 3, charMax: 5, wordBigrams: true, subjectFeatures: true, redact: true };

/** Feature strings (with repetitions = counts) of one message. */
export function extractFeatures(subject: string | null | undefined, text: string, cfg: FeatureConfig = DEFAULT_FEATURES): string[] {
  const out: string[] = [];
  const addWords = (tokens: string[], prefix: string) => {
    const stems = tokens.map((t) => stem(t));
    for (const s of stems) out.push(prefix + s);
    if (cfg.wordBigrams) for (let i = 0; i + 1 < stems.length; i++) out.push(`${prefix}b:${stems[i]}_${stems[i + 1]}`);
  };
  const body = tokenize(cfg.redact ? redactPII(text ?? '').text : (text ?? ''));
  const subj = subject ? tokenize(cfg.redact ? redactPII(subject).text : subject) : [];
  const all = subj.length ? [...subj, ...body] : body;
  addWords(all, 'w:');
  if (cfg.subjectFeatures && subj.length) addWords(subj, 's:');
  for (const t of all) {
    const w = `<${t}>`;
    for (let n = cfg.charMin; n <= cfg.charMax; n++) {
      if (w.length < n) break;
      for (let i = 0; i + n <= w.length; i++) out.push('c:' + w.slice(i, i + n));
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

/** Builds a vocabulary of features occurring in at least `minDf` documents. */
export function buildVocabulary(docs: string[][], minDf = 2): Vocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const f of new Set(d)) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab: Vocabulary = new Map();
  for (const [f, n] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (n >= minDf) vocab.set(f, vocab.size);
  return vocab;
}

/** Sublinear term frequency (1 + ln tf), L2-normalised; unknown features are dropped. */
export function vectorize(features: string[], vocab: Vocabulary): SparseVector {
  const counts = new Map<number, number>();
  for (const f of features) {
    const j = vocab.get(f);
    if (j !== undefined) counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const val = new Float32Array(idx.length);
  let norm = 0;
  for (let i = 0; i < idx.length; i++) {
    const v = 1 + Math.log(counts.get(idx[i]!)!);
    val[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < val.length; i++) val[i]! /= norm;
  return { idx, val };
}
