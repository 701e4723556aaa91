import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/index.ts';
import { sessions, users } from './schema.ts';

/** All SQL of accounts and sessions. Use cases call these; routes never do. */

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | null> {
  const rows = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)))
    .limit(1);
  return rows[0] ?? null;
}

export async function findUserById(db: DbOrTx, id: string): Promise<UserRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return rows[0] ?? null;
}

export async function listUsers(db: DbOrTx): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.displayName), asc(users.email));
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return Number(row?.n ?? 0);
}

/** Active accounts holding the admin role. */
export async function countActiveAdmins(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.active, true), sql`'admin' = ANY(${users.roles})`));
  return Number(row?.n ?? 0);
}

export async function insertUser(
  db: DbOrTx,
  u: { email: string; displayName: string; passwordHash: string; roles: string[]; department: string | null; mustChangePassword: boolean },
): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...u, email: normaliseEmail(u.email) })
    .returning();
  return row!;
}

export async function updateUser(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<UserRow, 'passwordHash' | 'roles' | 'department' | 'active' | 'mustChangePassword' | 'lastLoginAt' | 'displayName'>>,
): Promise<void> {
  await db.update(users).set(patch).where(eq(users.id, id));
}

export async function insertSession(
  db: DbOrTx,
  s: { id: string; userId: string; csrfToken: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insert(sessions)
    .values({ id: s.id, userId: s.userId, csrfToken: s.csrfToken, createdAt: s.now, lastSeenAt: s.now, expiresAt: s.expiresAt });
}

export async function findSessionWithUser(db: DbOrTx, id: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  return rows[0] ?? null;
}

export async function touchSession(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function deleteSession(db: DbOrTx, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Ends every session of a user, optionally except one (after a password change). */
export async function deleteUserSessions(db: DbOrTx, userId: string, exceptId?: string): Promise<void> {
  await db
    .delete(sessions)
    .where(exceptId ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${exceptId}`) : eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: DbOrTx, idleBefore: Date, now: Date): Promise<void> {
  await db
    .delete(sessions)
    .where(sql`${sessions.expiresAt} < ${now.toISOString()} OR ${sessions.lastSeenAt} < ${idleBefore.toISOString()}`);
}
