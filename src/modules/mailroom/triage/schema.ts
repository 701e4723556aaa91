import { sql } from 'drizzle-orm';
import { bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Versioned triage models (one row per trained version). `model` holds the serialised
 * classifier (vocabulary + base64 Float32 weights); `figures` the held-out evaluation.
 * At most one active version per name.
 */
export const triageModels = pgTable(
  'triage_models',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    /** Model kind, e.g. `logreg-v1`. */
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    categories: jsonb('categories').$type<string[]>().notNull(),
    thresholds: jsonb('thresholds').$type<Record<string, number>>().notNull(),
    targetPrecision: doublePrecision('target_precision').notNull(),
    figures: jsonb('figures').$type<Record<string, unknown>>().notNull(),
    trainingRows: integer('training_rows').notNull(),
    model: jsonb('model').notNull(),
    active: boolean('active').notNull().default(false),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('triage_models_name_version_uq').on(t.name, t.version),
    uniqueIndex('triage_models_one_active_uq').on(t.name).where(sql`${t.active}`),
  ],
);

/**
 * Labelled examples for retraining (imports and staff corrections from the review queue).
 * Exports mask personal data; the stored text is needed to learn from.
 */
export const triageExamples = pgTable(
  'triage_examples',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    modelName: text('model_name').notNull(),
    externalId: text('external_id'),
    subject: text('subject'),
    text: text('text').notNull(),
    category: text('category').notNull(),
    /** import | correction */
    source: text('source').notNull().default('import'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('triage_examples_model_idx').on(t.modelName, t.createdAt)],
);
