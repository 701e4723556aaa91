import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { settings } from './schema.ts';

export { settings };

/** Reads a town setting; `fallback` when it was never set. */
export async function getSetting<T>(db: DbOrTx, key: string, fallback: T): Promise<T> {
  const rows = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
  return rows.length ? (rows[0]!.value as T) : fallback;
}

/** Writes a town setting (caller writes the audit entry in the same transaction). */
export async function setSetting(db: DbOrTx, key: string, value: unknown, updatedBy: string | null): Promise<void> {
  await db
    .insert(settings)
    .values({ key, value, updatedBy })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: sql`now()` } });
}
