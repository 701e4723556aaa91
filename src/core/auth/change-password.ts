import { z } from 'zod';
import { writeAudit } from '../audit/index.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { deleteUserSessions, findUserById, updateUser } from './repository.ts';
import { newPasswordSchema, parseInput } from './validation.ts';

export const changePasswordInput = z
  .object({
    currentPassword: z.string().max(200).optional(),
    newPassword: newPasswordSchema,
    confirmPassword: z.string(),
  })
  .refine((d) => d.newPassword === d.confirmPassword, {
    path: ['confirmPassword'],
    message: 'Die beiden neuen Passwörter stimmen nicht überein.',
  })
  .refine((d) => d.newPassword !== d.currentPassword, {
    path: ['newPassword'],
    message: 'Das neue Passwort muss sich vom bisherigen unterscheiden.',
  });
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/**
 * A staff member changes their own password. The current password is required, except right
 * after a login with a one-time password (`mustChangePassword`), where it was just typed.
 * Ends the person's other sessions. Audited as `user.password_change`.
 */
export async function changePassword(
  ctx: AppContext,
  actor: Actor,
  input: ChangePasswordInput,
  opts: { keepSessionId?: string; requestId?: string } = {},
): Promise<void> {
  if (actor.type !== 'user') throw new AppError('forbidden', 'Nur angemeldete Personen können ihr Passwort ändern.');
  const data = parseInput(changePasswordInput, input);
  const user = await findUserById(ctx.db, actor.id);
  if (!user || !user.active) throw new AppError('unauthenticated', 'Bitte melden Sie sich an.');
  if (!user.mustChangePassword) {
    if (!data.currentPassword || !(await verifyPassword(user.passwordHash, data.currentPassword))) {
      throw new AppError('validation', 'Das bisherige Passwort ist nicht richtig.', {
        fields: [{ field: 'currentPassword', message: 'Das bisherige Passwort ist nicht richtig.' }],
      });
    }
  } else if (await verifyPassword(user.passwordHash, data.newPassword)) {
    // The one-time password must not become the permanent one.
    throw new AppError('validation', 'Die Eingaben sind unvollständig oder fehlerhaft.', {
      fields: [{ field: 'newPassword', message: 'Das neue Passwort muss sich vom bisherigen unterscheiden.' }],
    });
  }
  const passwordHash = await hashPassword(data.newPassword);
  await ctx.db.transaction(async (tx) => {
    await updateUser(tx, user.id, { passwordHash, mustChangePassword: false });
    await deleteUserSessions(tx, user.id, opts.keepSessionId);
    await writeAudit(tx, {
      actor,
      action: 'user.password_change',
      objectType: 'user',
      objectId: user.id,
      summary: { forced: user.mustChangePassword },
      requestId: opts.requestId ?? null,
    });
  });
}
