import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { writeAudit } from '../audit/index.ts';
import type { AppContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { assertCan } from './guard.ts';
import { generateOneTimePassword, hashPassword } from './password.ts';
import { deleteUserSessions, findUserById, listUsers, updateUser, type UserRow } from './repository.ts';
import { assertDepartment, parseInput, rolesSchema } from './validation.ts';

/** Serialises role/active changes so two admins cannot demote each other at the same time. */
const LOCK_ACCOUNTS = sql`SELECT pg_advisory_xact_lock(7405312)`;

async function loadForUpdate(tx: Tx, userId: string): Promise<UserRow> {
  const user = await findUserById(tx, userId);
  if (!user) throw new AppError('not_found', 'Das Konto wurde nicht gefunden.');
  return user;
}

/** Refuses a change that would leave no active administrator (nobody could manage accounts). */
async function assertAdminRemains(tx: Tx, changedId: string, after: { roles: string[]; active: boolean }): Promise<void> {
  if (after.active && after.roles.includes('admin')) return;
  const others = (await listUsers(tx)).filter((u) => u.id !== changedId && u.active && u.roles.includes('admin'));
  if (others.length === 0) throw new AppError('conflict', 'Es muss mindestens ein aktives Konto mit der Rolle Administration geben.');
}

export const setRolesInput = z.object({
  roles: rolesSchema,
  department: z
    .string()
    .trim()
    .nullish()
    .transform((d) => d || null),
});

/** Sets roles and department of an account (admin only). Audited as `user.set_roles` with before/after. */
export async function setUserRoles(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: { roles: string[]; department?: string | null },
  requestId?: string,
): Promise<void> {
  assertCan(actor, 'admin.users');
  const data = parseInput(setRolesInput, input);
  assertDepartment(ctx, data.department);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(LOCK_ACCOUNTS);
    const user = await loadForUpdate(tx, userId);
    await assertAdminRemains(tx, user.id, { roles: data.roles, active: user.active });
    await updateUser(tx, user.id, { roles: data.roles, department: data.department });
    await writeAudit(tx, {
      actor,
      action: 'user.set_roles',
      objectType: 'user',
      objectId: user.id,
      summary: { before: { roles: user.roles, department: user.department }, after: { roles: data.roles, department: data.department } },
      requestId: requestId ?? null,
    });
  });
}

/** Deactivates (or reactivates) an account; deactivation ends its sessions at once. Admin only. */
export async function setUserActive(ctx: AppContext, actor: Actor, userId: string, active: boolean, requestId?: string): Promise<void> {
  assertCan(actor, 'admin.users');
  if (!active && actor.type === 'user' && actor.id === userId)
    throw new AppError('conflict', 'Sie können Ihr eigenes Konto nicht deaktivieren.');
  await ctx.db.transaction(async (tx) => {
    await tx.execute(LOCK_ACCOUNTS);
    const user = await loadForUpdate(tx, userId);
    if (user.active === active) return;
    await assertAdminRemains(tx, user.id, { roles: user.roles, active });
    await updateUser(tx, user.id, { active });
    if (!active) await deleteUserSessions(tx, user.id);
    await writeAudit(tx, {
      actor,
      action: active ? 'user.activate' : 'user.deactivate',
      objectType: 'user',
      objectId: user.id,
      summary: { before: { active: user.active }, after: { active } },
      requestId: requestId ?? null,
    });
  });
}

/** Deactivates an account (admin only). */
export const deactivateUser = (ctx: AppContext, actor: Actor, userId: string, requestId?: string) =>
  setUserActive(ctx, actor, userId, false, requestId);

/**
 * Replaces a forgotten password with a new one-time password (admin only); the person must
 * choose a new password at the next login. Ends the account's sessions. Audited as `user.password_reset`.
 */
export async function resetPassword(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  requestId?: string,
): Promise<{ oneTimePassword: string }> {
  assertCan(actor, 'admin.users');
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await ctx.db.transaction(async (tx) => {
    const user = await loadForUpdate(tx, userId);
    await updateUser(tx, user.id, { passwordHash, mustChangePassword: true });
    await deleteUserSessions(tx, user.id);
    await writeAudit(tx, {
      actor,
      action: 'user.password_reset',
      objectType: 'user',
      objectId: user.id,
      summary: {},
      requestId: requestId ?? null,
    });
  });
  return { oneTimePassword };
}
