import { z } from 'zod';
import type { AppContext } from '../../../core/context.ts';
import { writeAudit } from '../../../core/audit/index.ts';
import { assertCan, type Actor } from '../../../core/auth/index.ts';
import { AppError, validationError } from '../../../core/errors.ts';
import { serializeClassifier, trainTextClassifier, type HeldOutFigures, type TrainOptions } from '../../../ml/text-classifier.ts';
import { getSetting } from '../../../core/settings/index.ts';
import { insertExamples, insertModel, lockModelName, nextVersion, setActive } from './repository.ts';
import {
  categoryDescriptionsSchema,
  descriptionSeeds,
  portalSubjectSeeds,
  TRIAGE_CATEGORIES_SETTING,
  type CategoryDescriptions,
} from './seeds.ts';

export const modelNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'nur Kleinbuchstaben, Ziffern, - und _');

/** One training example; seeds have the same shape without `detail`. */
const exampleSchema = z.object({
  id: z.string().optional(),
  subject: z.string().nullable(),
  text: z.string(),
  category: z.string().min(1),
  district: z.string().nullable().optional(),
  /** Optional finer label (training only: term weights), see docs/modules/triage.md. */
  detail: z.string().nullable().optional(),
});

const inputSchema = z.object({
  name: modelNameSchema.default('default'),
  rows: z
    .array(exampleSchema)
    .min(10, 'mindestens 10 Beispiele'),
  targetPrecision: z.number().gt(0.5).lt(1).default(0.95),
  refit: z.boolean().default(true),
  /** Keep the rows as training examples for later retraining jobs. */
  storeExamples: z.boolean().default(false),
  activate: z.boolean().default(true),
  /**
   * Category definitions `{key: {label, description}}`: label and description phrases become seeds
   * (keys not among the rows' categories are ignored). Absent: the town setting
   * `mailroom.triageCategories` (same format as categories.json), if set; `null`: none.
   */
  categoryDescriptions: categoryDescriptionsSchema.shape.groups.nullable().optional(),
  /** Seeds from the portal subject list in the rows' optional `detail` (docs/modules/triage.md). */
  subjectSeeds: z.boolean().default(true),
  /** Extra always-trained, never-held-out examples (`--seeds`), after the built-in seeds. */
  seedRows: z
    .array(exampleSchema.omit({ detail: true }))
    .default([]),
});
export type TrainModelInput = z.input<typeof inputSchema>;

export interface TrainModelResult {
  name: string;
  version: number;
  active: boolean;
  categories: string[];
  thresholds: Record<string, number>;
  figures: HeldOutFigures;
  /** Seed examples used (also stored in the model's figures as `seeds`). */
  seeds: SeedCounts;
  trainingMs: number;
}

export interface SeedCounts {
  /** From category descriptions; `descriptionSource` says where they came from. */
  descriptions: number;
  descriptionSource: 'input' | 'setting' | 'none';
  /** From the portal subject list of the training rows (`detail`). */
  subjects: number;
  /** Extra seed rows given by the caller (`--seeds`). */
  extra: number;
}

/**
 * Trains a new version of a triage model on labelled rows (in time order), evaluates it on
 * the newest 20 %, stores it with its figures and (by default) activates it.
 */
export async function trainModel(
  ctx: AppContext,
  actor: Actor,
  input: TrainModelInput,
  opts: Partial<TrainOptions> = {},
): Promise<TrainModelResult> {
  assertCan(actor, 'mailroom.configure');
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { name, rows, targetPrecision, refit, storeExamples, activate, seedRows: extraSeeds, subjectSeeds } = parsed.data;
  const categories = new Set(rows.map((r) => r.category));
  if (categories.size < 2)
    throw new AppError('validation', 'Zum Trainieren werden mindestens zwei Kategorien gebraucht.', {
      fields: [{ field: 'category', message: 'only one category' }],
    });
  let descriptionSource: SeedCounts['descriptionSource'] = 'none';
  let groups: CategoryDescriptions['groups'] | null = null;
  if (parsed.data.categoryDescriptions) {
    groups = parsed.data.categoryDescriptions;
    descriptionSource = 'input';
  } else if (parsed.data.categoryDescriptions === undefined) {
    const fromSetting = categoryDescriptionsSchema.safeParse(await getSetting<unknown>(ctx.db, TRIAGE_CATEGORIES_SETTING, null));
    if (fromSetting.success) {
      groups = fromSetting.data.groups;
      descriptionSource = 'setting';
    }
  }
  // Order as in the benchmark: description seeds, portal-subject seeds, then the caller's extra seeds.
  const fromDescriptions = groups ? descriptionSeeds(groups, categories) : [];
  if (!fromDescriptions.length) descriptionSource = 'none';
  const fromSubjects = subjectSeeds ? portalSubjectSeeds(rows) : [];
  const seedRows = [...fromDescriptions, ...fromSubjects, ...extraSeeds];
  const seeds: SeedCounts = {
    descriptions: fromDescriptions.length,
    descriptionSource,
    subjects: fromSubjects.length,
    extra: extraSeeds.length,
  };
  const t0 = performance.now();
  const { model, figures } = trainTextClassifier(rows, { ...opts, targetPrecision, refit, seedRows });
  const trainingMs = Math.round(performance.now() - t0);
  const serialized = serializeClassifier(model);
  const stored = await ctx.db.transaction(async (tx) => {
    await lockModelName(tx, name);
    const version = await nextVersion(tx, name);
    const row = await insertModel(tx, {
      name,
      version,
      kind: model.kind,
      categories: model.categories,
      thresholds: model.thresholds,
      targetPrecision,
      figures: { ...figures, seeds } as unknown as Record<string, unknown>,
      trainingRows: rows.length,
      model: serialized,
      active: false,
      createdBy: actor.type === 'user' ? actor.id : actor.type,
    });
    if (activate) await setActive(tx, name, version);
    if (storeExamples) {
      await insertExamples(
        tx,
        rows.map((r) => ({
          modelName: name,
          externalId: r.id ?? null,
          subject: r.subject,
          text: r.text,
          category: r.category,
          source: 'import',
        })),
      );
    }
    await writeAudit(tx, {
      actor,
      action: 'triage_model.train',
      objectType: 'triage_model',
      objectId: `${name}@${version}`,
      summary: {
        rows: rows.length,
        seeds: seedRows.length,
        descriptionSeeds: seeds.descriptions,
        subjectSeeds: seeds.subjects,
        categories: model.categories.length,
        macroF1: round(figures.macroF1),
        expectedCoverage: round(figures.expectedCoverage),
        active: activate,
      },
    });
    return row;
  });
  ctx.log.info({ model: name, version: stored.version, rows: rows.length, trainingMs }, 'triage model trained');
  return {
    name,
    version: stored.version,
    active: activate,
    categories: model.categories,
    thresholds: model.thresholds,
    figures,
    seeds,
    trainingMs,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
