import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../core/db/index.ts';
import { mailroomCaseKeys } from './schema.ts';

export type CaseKeyKind = 'in' | 'reply' | 'ack' | 'ticket';

/** Records a key → document (first writer wins: a Message-ID or Vorgangsnummer belongs to one document). */
export async function recordCaseKey(db: DbOrTx, v: { key: string; documentId: number; kind: CaseKeyKind; outboxId?: string | null; recipientHash?: string | null; at?: Date }): Promise<void> {
  await db
    .insert(mailroomCaseKeys)
    .values({ key: v.key, documentId: v.documentId, kind: v.kind, outboxId: v.outboxId ?? null, recipientHash: v.recipientHash ?? null, ...(v.at ? { createdAt: v.at } : {}) })
    .onConflictDoNothing({ target: mailroomCaseKeys.key });
}

/** Documents (other than `exceptId`) that one of these keys belongs to. */
export async function findCaseKeys(db: DbOrTx, keys: string[], exceptId: number): Promise<{ key: string; documentId: number; kind: string }[]> {
  if (!keys.length) return [];
  const rows = await db
    .select({ key: mailroomCaseKeys.key, documentId: mailroomCaseKeys.documentId, kind: mailroomCaseKeys.kind })
    .from(mailroomCaseKeys)
    .where(and(inArray(mailroomCaseKeys.key, keys), sql`${mailroomCaseKeys.documentId} <> ${exceptId}`));
  return rows;
}

/** The Vorgangsnummer issued for a document, if any. */
export async function findTicketOf(db: DbOrTx, documentId: number): Promise<string | null> {
  const [r] = await db
    .select({ key: mailroomCaseKeys.key })
    .from(mailroomCaseKeys)
    .where(and(eq(mailroomCaseKeys.documentId, documentId), eq(mailroomCaseKeys.kind, 'ticket')))
    .limit(1);
  return r ? r.key.slice('ticket:'.length) : null;
}

/** Acknowledgements sent since `since` to this recipient (hash) or for one of these documents (thread). */
export async function countRecentAcks(db: DbOrTx, v: { recipientHash: string; documentIds: number[]; since: Date }): Promise<number> {
  const who = v.documentIds.length
    ? sql`(${mailroomCaseKeys.recipientHash} = ${v.recipientHash} OR ${inArray(mailroomCaseKeys.documentId, v.documentIds)})`
    : sql`${mailroomCaseKeys.recipientHash} = ${v.recipientHash}`;
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(mailroomCaseKeys)
    .where(and(eq(mailroomCaseKeys.kind, 'ack'), gte(mailroomCaseKeys.createdAt, v.since), who));
  return Number(r?.n ?? 0);
}
