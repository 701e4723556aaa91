import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../core/db/index.ts';
import { documents, type DocumentRow } from './schema.ts';

export type NewDocument = typeof documents.$inferInsert;

export async function findDocumentBySha(db: DbOrTx, sha256: string): Promise<DocumentRow | null> {
  const [row] = await db.select().from(documents).where(eq(documents.sha256, sha256)).limit(1);
  return row ?? null;
}

export async function findDocument(db: DbOrTx, id: number): Promise<DocumentRow | null> {
  const [row] = await db.select().from(documents).where(eq(documents.id, id)).limit(1);
  return row ?? null;
}

/** Inserts unless the hash exists (a concurrent intake of the same file); returns the new row or null. */
export async function insertDocument(db: DbOrTx, doc: NewDocument): Promise<DocumentRow | null> {
  const rows = await db.insert(documents).values(doc).onConflictDoNothing({ target: documents.sha256 }).returning();
  return rows[0] ?? null;
}

export async function updateDocument(db: DbOrTx, id: number, patch: Partial<NewDocument>): Promise<DocumentRow> {
  const [row] = await db
    .update(documents)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(documents.id, id))
    .returning();
  return row!;
}

/** The earliest other document with the same invoice number + seller. */
export async function findInvoiceTwin(db: DbOrTx, invoiceKey: string, exceptId: number): Promise<DocumentRow | null> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.invoiceKey, invoiceKey), ne(documents.id, exceptId), ne(documents.status, 'duplicate')))
    .orderBy(documents.id)
    .limit(1);
  return row ?? null;
}

/**
 * Ids of earlier documents (id < `beforeId`) whose extracted identifiers or mail references
 * contain this Aktenzeichen or ticket number.
 */
export async function findDocumentsByReference(db: DbOrTx, kind: 'aktenzeichen' | 'ticket', value: string, beforeId: number): Promise<number[]> {
  const needle = JSON.stringify([value]);
  const rows = await db
    .select({ id: documents.id })
    .from(documents)
    .where(
      and(
        sql`${documents.id} < ${beforeId}`,
        sql`(${documents.fields} -> 'identifiers' -> ${kind}::text @> ${needle}::jsonb OR ${documents.fields} -> 'mail' -> 'references' -> ${kind}::text @> ${needle}::jsonb)`,
      ),
    )
    .orderBy(documents.id)
    .limit(10);
  return rows.map((r) => r.id);
}

export interface DocumentListFilter {
  status?: string;
  limit?: number;
}

export async function listDocuments(db: DbOrTx, f: DocumentListFilter = {}): Promise<DocumentRow[]> {
  const q = db.select().from(documents);
  const filtered = f.status ? q.where(eq(documents.status, f.status)) : q;
  return filtered.orderBy(desc(documents.id)).limit(Math.min(f.limit ?? 100, 500));
}

export async function countByStatus(db: DbOrTx): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: documents.status, n: sql<number>`count(*)::int` })
    .from(documents)
    .groupBy(documents.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
