import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db/index.ts';
import { outbox } from '../../core/mail-out/index.ts';
import { profileAccounts, profileLoginTokens, profileSessions, type StoredProfile } from './schema.ts';

export type AccountRow = typeof profileAccounts.$inferSelect;
export type SessionRow = typeof profileSessions.$inferSelect;

// ---------- accounts ----------

export async function findAccountByEmail(db: DbOrTx, email: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(profileAccounts).where(eq(profileAccounts.email, email)).limit(1);
  return row ?? null;
}

export async function findAccount(db: DbOrTx, id: string): Promise<AccountRow | null> {
  const [row] = await db.select().from(profileAccounts).where(eq(profileAccounts.id, id)).limit(1);
  return row ?? null;
}

/** Creates the account, or returns the existing one (two links confirmed at once). */
export async function insertAccount(
  db: DbOrTx,
  v: { email: string; consentVersion: string; now: Date },
): Promise<{ account: AccountRow; created: boolean }> {
  const [row] = await db
    .insert(profileAccounts)
    .values({ email: v.email, consentVersion: v.consentVersion, consentAt: v.now, createdAt: v.now, lastUsedAt: v.now })
    .onConflictDoNothing({ target: profileAccounts.email })
    .returning();
  if (row) return { account: row, created: true };
  return { account: (await findAccountByEmail(db, v.email))!, created: false };
}

export async function updateConsent(db: DbOrTx, id: string, version: string, now: Date): Promise<void> {
  await db.update(profileAccounts).set({ consentVersion: version, consentAt: now, lastUsedAt: now }).where(eq(profileAccounts.id, id));
}

export async function touchAccount(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.update(profileAccounts).set({ lastUsedAt: now }).where(eq(profileAccounts.id, id));
}

export async function storeProfile(db: DbOrTx, id: string, profile: StoredProfile, now: Date): Promise<void> {
  await db.update(profileAccounts).set({ profile, profileUpdatedAt: now, lastUsedAt: now }).where(eq(profileAccounts.id, id));
}

/** Hard delete (sessions go with it by cascade). Returns the deleted e-mail address or null. */
export async function deleteAccount(db: DbOrTx, id: string): Promise<string | null> {
  const [row] = await db.delete(profileAccounts).where(eq(profileAccounts.id, id)).returning({ email: profileAccounts.email });
  return row?.email ?? null;
}

/** Deletes accounts last used before `cutoff`; returns their e-mail addresses (to clean up links and mails). */
export async function deleteAccountsUnusedSince(db: DbOrTx, cutoff: Date): Promise<string[]> {
  const rows = await db.delete(profileAccounts).where(lt(profileAccounts.lastUsedAt, cutoff)).returning({ email: profileAccounts.email });
  return rows.map((r) => r.email);
}

/** Accounts last used before `usedBefore` that were not warned since their last use. */
export async function accountsToWarn(db: DbOrTx, usedBefore: Date): Promise<AccountRow[]> {
  return db
    .select()
    .from(profileAccounts)
    .where(
      and(
        lt(profileAccounts.lastUsedAt, usedBefore),
        or(isNull(profileAccounts.deletionWarnedAt), lt(profileAccounts.deletionWarnedAt, profileAccounts.lastUsedAt)),
      ),
    )
    .orderBy(profileAccounts.lastUsedAt)
    .limit(500);
}

export async function markWarned(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.update(profileAccounts).set({ deletionWarnedAt: now }).where(eq(profileAccounts.id, id));
}

// ---------- sign-in links ----------

export async function insertLoginToken(db: DbOrTx, v: { id: string; email: string; expiresAt: Date; now: Date }): Promise<void> {
  await db.insert(profileLoginTokens).values({ id: v.id, email: v.email, expiresAt: v.expiresAt, createdAt: v.now });
}

export async function findLoginToken(db: DbOrTx, id: string): Promise<typeof profileLoginTokens.$inferSelect | null> {
  const [row] = await db.select().from(profileLoginTokens).where(eq(profileLoginTokens.id, id)).limit(1);
  return row ?? null;
}

/** Marks an unused link as used; null when it was already used (or is unknown). Row-level atomic. */
export async function spendLoginToken(db: DbOrTx, id: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(profileLoginTokens)
    .set({ usedAt: now })
    .where(and(eq(profileLoginTokens.id, id), isNull(profileLoginTokens.usedAt)))
    .returning({ email: profileLoginTokens.email });
  return row?.email ?? null;
}

/** Removes expired links (used or not); with `emails`, also every link of those addresses. */
export async function purgeLoginTokens(db: DbOrTx, now: Date, emails: string[] = []): Promise<number> {
  const cond = emails.length
    ? or(lt(profileLoginTokens.expiresAt, now), inArray(profileLoginTokens.email, emails))
    : lt(profileLoginTokens.expiresAt, now);
  const rows = await db.delete(profileLoginTokens).where(cond).returning({ id: profileLoginTokens.id });
  return rows.length;
}

/**
 * Removes delivered (or dead) sign-in and notice mails of these addresses from the core outbox, so a deleted
 * account leaves no copy of its address behind. Queued mails stay (their delivery job needs them).
 */
export async function purgeProfileMails(db: DbOrTx, emails: string[]): Promise<number> {
  if (!emails.length) return 0;
  const rows = await db
    .delete(outbox)
    .where(
      and(
        inArray(outbox.kind, ['profile-signin', 'profile-notice']),
        inArray(outbox.status, ['sent', 'dead']),
        inArray(sql`lower(${outbox.toAddress})`, emails),
      ),
    )
    .returning({ id: outbox.id });
  return rows.length;
}

// ---------- sessions ----------

export async function insertSession(
  db: DbOrTx,
  v: { id: string; accountId: string; csrfToken: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insert(profileSessions)
    .values({ id: v.id, accountId: v.accountId, csrfToken: v.csrfToken, createdAt: v.now, lastSeenAt: v.now, expiresAt: v.expiresAt });
}

export async function findSessionWithAccount(db: DbOrTx, id: string): Promise<{ session: SessionRow; account: AccountRow } | null> {
  const [row] = await db
    .select({ session: profileSessions, account: profileAccounts })
    .from(profileSessions)
    .innerJoin(profileAccounts, eq(profileAccounts.id, profileSessions.accountId))
    .where(eq(profileSessions.id, id))
    .limit(1);
  return row ?? null;
}

export async function touchSession(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.update(profileSessions).set({ lastSeenAt: now }).where(eq(profileSessions.id, id));
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.delete(profileSessions).where(eq(profileSessions.id, id));
}

export async function listSessions(db: DbOrTx, accountId: string): Promise<SessionRow[]> {
  return db.select().from(profileSessions).where(eq(profileSessions.accountId, accountId)).orderBy(profileSessions.createdAt);
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date, idleBefore: Date): Promise<number> {
  const rows = await db
    .delete(profileSessions)
    .where(or(lt(profileSessions.expiresAt, now), lt(profileSessions.lastSeenAt, idleBefore)))
    .returning({ id: profileSessions.id });
  return rows.length;
}

export async function countAccounts(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(profileAccounts);
  return Number(row?.n ?? 0);
}
