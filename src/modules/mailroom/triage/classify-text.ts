import type { AppContext } from '../../../core/context.ts';
import { AppError } from '../../../core/errors.ts';
import { classifyWith, deserializeClassifier, explainWith, reachesThreshold, type ClassifyInput, type Explanation, type Prediction, type SerializedClassifier, type TextClassifier } from '../../../ml/text-classifier.ts';
import { activeModelMeta, modelPayload } from './repository.ts';

export interface TextClassification extends Prediction {
  /** The model version that produced the result (stored with every automated result). */
  model: { name: string; version: number };
  /** With `explain`: the words/metadata that speak for the top-ranked category (also when abstained). */
  why?: Explanation;
  /** The model's per-category threshold is reached: the mailroom routing would route it automatically. */
  routable: boolean;
}

export interface ClassifyOptions {
  /** Add {@link TextClassification.why} (costs a second feature pass per message). */
  explain?: boolean;
  /**
   * Apply the per-category thresholds (default true, as the mailroom routing does). false =
   * every message with text gets its best category (`lotse triage --batch` without `--abstain`);
   * `routable` still tells what the thresholds would do.
   */
  abstain?: boolean;
}

// Deserialising a model costs a few milliseconds; keep the few active ones in memory.
const cache = new Map<number, TextClassifier>();
const MAX_CACHED = 8;

/** Loads the active version of a model, or null when none is stored. */
export async function loadActiveModel(ctx: AppContext, name = 'default'): Promise<{ name: string; version: number; classifier: TextClassifier } | null> {
  const meta = await activeModelMeta(ctx.db, name);
  if (!meta) return null;
  let classifier = cache.get(meta.id);
  if (!classifier) {
    classifier = deserializeClassifier((await modelPayload(ctx.db, meta.id)) as SerializedClassifier);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(meta.id, classifier);
  }
  return { name, version: meta.version, classifier };
}

/**
 * Classifies one message with the active version of `modelName` (default `default`).
 * Abstains (category null) below the category's threshold (unless `opts.abstain === false`).
 * @throws AppError not_found when no active model of that name exists.
 */
export async function classifyText(ctx: AppContext, input: ClassifyInput, modelName = 'default', opts: ClassifyOptions = {}): Promise<TextClassification> {
  const [r] = await classifyBatch(ctx, [input], modelName, opts);
  return r!;
}

/** Like {@link classifyText} for many messages (model loaded once). */
export async function classifyBatch(ctx: AppContext, inputs: ClassifyInput[], modelName = 'default', opts: ClassifyOptions = {}): Promise<TextClassification[]> {
  const m = await loadActiveModel(ctx, modelName);
  if (!m) throw new AppError('not_found', `Es gibt kein aktives Triage-Modell „${modelName}“. Bitte zuerst mit „lotse triage train“ trainieren.`);
  return inputs.map((i) => {
    const p = classifyWith(m.classifier, i, { abstain: opts.abstain !== false });
    const routable = opts.abstain === false ? reachesThreshold(m.classifier, p) : !p.abstained;
    const why = opts.explain ? explainWith(m.classifier, i, { category: p.top[0]?.category }) : undefined;
    return { ...p, routable, model: { name: m.name, version: m.version }, ...(why ? { why } : {}) };
  });
}
