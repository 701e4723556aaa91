import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../core/db/index.ts';
import { mailroomImapMessages, mailroomMailboxes, type ImapMessageRow, type MailboxRow } from './schema.ts';

export async function listMailboxes(db: DbOrTx, onlyActive = false): Promise<MailboxRow[]> {
  const q = db.select().from(mailroomMailboxes);
  return onlyActive ? q.where(eq(mailroomMailboxes.active, true)).orderBy(mailroomMailboxes.id) : q.orderBy(mailroomMailboxes.id);
}

export async function findMailbox(db: DbOrTx, id: number): Promise<MailboxRow | null> {
  const [r] = await db.select().from(mailroomMailboxes).where(eq(mailroomMailboxes.id, id)).limit(1);
  return r ?? null;
}

export async function setMailboxActiveRow(db: DbOrTx, id: number, active: boolean): Promise<MailboxRow | null> {
  const [r] = await db.update(mailroomMailboxes).set({ active }).where(eq(mailroomMailboxes.id, id)).returning();
  return r ?? null;
}

export async function upsertMailbox(db: DbOrTx, v: typeof mailroomMailboxes.$inferInsert): Promise<MailboxRow> {
  const { name, ...rest } = v;
  const [r] = await db.insert(mailroomMailboxes).values(v).onConflictDoUpdate({ target: mailroomMailboxes.name, set: { ...rest } }).returning();
  void name;
  return r!;
}

export async function updateMailboxState(db: DbOrTx, id: number, v: Partial<Pick<MailboxRow, 'uidValidity' | 'lastUid' | 'lastPollAt' | 'lastError'>>): Promise<void> {
  await db.update(mailroomMailboxes).set(v).where(eq(mailroomMailboxes.id, id));
}

export async function findImapMessage(db: DbOrTx, messageKey: string): Promise<ImapMessageRow | null> {
  const [r] = await db.select().from(mailroomImapMessages).where(eq(mailroomImapMessages.messageKey, messageKey)).limit(1);
  return r ?? null;
}

/** Records a taken message; returns the existing row when the key is already known. */
export async function insertImapMessage(db: DbOrTx, v: typeof mailroomImapMessages.$inferInsert): Promise<ImapMessageRow> {
  const [r] = await db.insert(mailroomImapMessages).values(v).onConflictDoNothing().returning();
  return r ?? (await findImapMessage(db, v.messageKey))!;
}

/**
 * UIDs of messages of a mailbox whose document is committed but that were not yet flagged and
 * moved (state `stored`): e.g. the connection dropped after \\Seen was set but before the move.
 * The next read handles them even though they are no longer unseen.
 */
export async function listPendingImapUids(db: DbOrTx, mailboxId: number, limit = 100): Promise<number[]> {
  const rows = await db
    .select({ uid: mailroomImapMessages.uid })
    .from(mailroomImapMessages)
    .where(and(eq(mailroomImapMessages.mailboxId, mailboxId), eq(mailroomImapMessages.state, 'stored')))
    .limit(limit);
  return rows.map((r) => r.uid);
}

/** Marks a pending (state `stored`) message of a mailbox as done by its UID. */
export async function markPendingImapUidDone(db: DbOrTx, mailboxId: number, uid: number, now: Date): Promise<void> {
  await db
    .update(mailroomImapMessages)
    .set({ state: 'done', finishedAt: now })
    .where(and(eq(mailroomImapMessages.mailboxId, mailboxId), eq(mailroomImapMessages.uid, uid), eq(mailroomImapMessages.state, 'stored')));
}

export async function markImapMessageDone(db: DbOrTx, id: number, now: Date): Promise<void> {
  await db
    .update(mailroomImapMessages)
    .set({ state: 'done', finishedAt: now })
    .where(and(eq(mailroomImapMessages.id, id), sql`true`));
}

/**
 * Takes (or renews) the lease on a mailbox for `owner` for `seconds`, using the database clock so
 * several instances agree. Resolves false when another owner holds an unexpired lease.
 */
export async function acquireMailboxLease(db: DbOrTx, id: number, owner: string, seconds: number): Promise<boolean> {
  const rows = await db
    .update(mailroomMailboxes)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${seconds})` })
    .where(
      and(
        eq(mailroomMailboxes.id, id),
        sql`(${mailroomMailboxes.leaseOwner} IS NULL OR ${mailroomMailboxes.leaseOwner} = ${owner} OR ${mailroomMailboxes.leaseUntil} < now())`,
      ),
    )
    .returning({ id: mailroomMailboxes.id });
  return rows.length > 0;
}

/** Gives the lease back (only when `owner` still holds it). */
export async function releaseMailboxLease(db: DbOrTx, id: number, owner: string): Promise<void> {
  await db
    .update(mailroomMailboxes)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(mailroomMailboxes.id, id), eq(mailroomMailboxes.leaseOwner, owner)));
}

export async function setIdleSupported(db: DbOrTx, id: number, supported: boolean): Promise<void> {
  await db.update(mailroomMailboxes).set({ idleSupported: supported }).where(eq(mailroomMailboxes.id, id));
}
