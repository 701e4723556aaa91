import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../core/db/index.ts';
import { triageExamples, triageModels } from './schema.ts';

export type TriageModelRow = typeof triageModels.$inferSelect;
export type TriageModelMeta = Omit<TriageModelRow, 'model'>;

const meta = {
  id: triageModels.id,
  name: triageModels.name,
  version: triageModels.version,
  kind: triageModels.kind,
  createdAt: triageModels.createdAt,
  categories: triageModels.categories,
  thresholds: triageModels.thresholds,
  targetPrecision: triageModels.targetPrecision,
  figures: triageModels.figures,
  trainingRows: triageModels.trainingRows,
  active: triageModels.active,
  createdBy: triageModels.createdBy,
};

/** Next version number for a model name (serialised by the caller's advisory lock). */
export async function nextVersion(db: DbOrTx, name: string): Promise<number> {
  const [r] = await db
    .select({ v: sql<number>`coalesce(max(${triageModels.version}), 0)::int` })
    .from(triageModels)
    .where(eq(triageModels.name, name));
  return (r?.v ?? 0) + 1;
}

export async function lockModelName(db: DbOrTx, name: string): Promise<void> {
  await db.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${'triage:' + name}))`);
}

export async function insertModel(db: DbOrTx, row: typeof triageModels.$inferInsert): Promise<TriageModelMeta> {
  const [r] = await db.insert(triageModels).values(row).returning(meta);
  return r!;
}

/** Makes exactly one version of `name` active; returns false if that version does not exist. */
export async function setActive(db: DbOrTx, name: string, version: number): Promise<boolean> {
  const [exists] = await db.select({ id: triageModels.id }).from(triageModels).where(and(eq(triageModels.name, name), eq(triageModels.version, version)));
  if (!exists) return false;
  await db.update(triageModels).set({ active: false }).where(and(eq(triageModels.name, name), eq(triageModels.active, true)));
  await db.update(triageModels).set({ active: true }).where(eq(triageModels.id, exists.id));
  return true;
}

export async function listModels(db: DbOrTx, name?: string): Promise<TriageModelMeta[]> {
  const q = db.select(meta).from(triageModels);
  return (name ? q.where(eq(triageModels.name, name)) : q).orderBy(asc(triageModels.name), desc(triageModels.version));
}

export async function activeModelMeta(db: DbOrTx, name: string): Promise<TriageModelMeta | undefined> {
  const [r] = await db.select(meta).from(triageModels).where(and(eq(triageModels.name, name), eq(triageModels.active, true)));
  return r;
}

export async function modelPayload(db: DbOrTx, id: number): Promise<unknown> {
  const [r] = await db.select({ model: triageModels.model }).from(triageModels).where(eq(triageModels.id, id));
  return r?.model;
}

export async function insertExamples(db: DbOrTx, rows: (typeof triageExamples.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) await db.insert(triageExamples).values(rows.slice(i, i + 500));
}

export async function listExamples(db: DbOrTx, modelName: string): Promise<(typeof triageExamples.$inferSelect)[]> {
  return db.select().from(triageExamples).where(eq(triageExamples.modelName, modelName)).orderBy(asc(triageExamples.createdAt), asc(triageExamples.id));
}
